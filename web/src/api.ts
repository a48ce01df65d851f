export type ApiResult =
  | { kind: 'ok', body: unknown }
  | { kind: 'login-required', reason: string }
  /** 403: signed in, but this token may not do this (a permission it lacks, ...): the API's message says why. */
  | { kind: 'forbidden', message: string }
  | { kind: 'not-found', message: string }
  | { kind: 'unavailable', status: number, error: string, message: string }
  | { kind: 'network', message: string }
  | { kind: 'failed', status: number, message: string }

// getTokenSilently's answers that only a new interactive login can fix.
const LOGIN_ERRORS = new Set([
  'login_required', 'consent_required', 'interaction_required', 'missing_refresh_token', 'invalid_grant'
])

/**
 * GETs `path` (e.g. `/me`) from the API with the access token and sorts every outcome into one the page can
 * show. Never throws.
 */
export async function callApi ({ getToken, baseUrl, path, fetchFn = fetch }: {
  getToken: () => Promise<string | undefined>
  baseUrl: string
  path: string
  fetchFn?: typeof fetch
}): Promise<ApiResult> {
  let token: string | undefined
  try {
    token = await getToken()
  } catch (err) {
    const code = (err as { error?: string }).error
    if (code && LOGIN_ERRORS.has(code)) return { kind: 'login-required', reason: code }
    return { kind: 'failed', status: 0, message: `Could not get an access token: ${(err as Error).message}` }
  }
  if (!token) return { kind: 'login-required', reason: 'no_access_token' }

  let res: Response
  try {
    res = await fetchFn(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
  } catch {
    return { kind: 'network', message: `The API at ${baseUrl} cannot be reached. Is it running?` }
  }

  const body: unknown = await res.json().catch(() => null)
  if (res.ok) return { kind: 'ok', body }
  const { error, message } = (body ?? {}) as { error?: unknown, message?: unknown }
  const text = typeof message === 'string' ? message : `HTTP ${res.status}`
  if (res.status === 401) return { kind: 'login-required', reason: 'api_rejected_token' }
  if (res.status === 403) return { kind: 'forbidden', message: text }
  if (res.status === 404) return { kind: 'not-found', message: text }
  // 502/503: Cognito (or Auth0's JWKS) failing behind the API; the API's short message says which.
  if (res.status === 502 || res.status === 503) {
    const code = typeof error === 'string' ? error : 'unavailable'
    return { kind: 'unavailable', status: res.status, error: code, message: text }
  }
  return { kind: 'failed', status: res.status, message: text }
}
