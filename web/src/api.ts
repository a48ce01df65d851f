import type { AuthClient } from './auth.js'

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

/** The key under which auth0-spa-js keeps this API's DPoP nonces, apart from Auth0's own (RFC 9449 §9). */
const API_NONCE_ID = 'api'

/**
 * How the access token goes out. Bearer (RFC 6750): `getToken` is getTokenSilently(), sent as
 * `Authorization: Bearer`. DPoP (RFC 9449): the SDK's fetcher sends `Authorization: DPoP` and a fresh proof of
 * the browser's key with every request, and retries once when the API asks for a nonce.
 */
type Credentials =
  | { getToken: () => Promise<string | undefined> }
  | { dpop: Pick<AuthClient, 'createFetcher' | 'getTokenSilently'> }

/** fetch() itself failed: the API is down or unreachable, whatever the token. */
class Unreachable extends Error {}

/**
 * GETs `path` (e.g. `/me`) from the API with the access token and sorts every outcome into one the page can
 * show. Never throws.
 */
export async function callApi (
  options: Credentials & { baseUrl: string, path: string, fetchFn?: typeof fetch }
): Promise<ApiResult> {
  const { baseUrl, path, fetchFn = fetch } = options
  const url = `${baseUrl}${path}`
  let res: Response | undefined
  try {
    res = 'dpop' in options
      ? await sendDpop(options.dpop, url, fetchFn)
      : await sendBearer(options.getToken, url, fetchFn)
  } catch (err) {
    if (err instanceof Unreachable) {
      return { kind: 'network', message: `The API at ${baseUrl} cannot be reached. Is it running?` }
    }
    const code = (err as { error?: string }).error
    if (code && LOGIN_ERRORS.has(code)) return { kind: 'login-required', reason: code }
    // The fetcher's words for "no token" and for an API that refused its proof even with the nonce it asked for.
    if (code === 'missing_access_token') return { kind: 'login-required', reason: 'no_access_token' }
    if (code === 'use_dpop_nonce') return { kind: 'failed', status: 401, message: 'The API refused the DPoP nonce' }
    return { kind: 'failed', status: 0, message: `Could not get an access token: ${(err as Error).message}` }
  }
  if (!res) return { kind: 'login-required', reason: 'no_access_token' }

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

/** Throws what getTokenSilently throws, or Unreachable; undefined when there is no token to send. */
async function sendBearer (getToken: () => Promise<string | undefined>, url: string, fetchFn: typeof fetch) {
  const token = await getToken()
  if (!token) return undefined
  return unreachableIfThrows(() => fetchFn(url, { headers: { authorization: `Bearer ${token}` } }))
}

/**
 * The SDK's fetcher, made per call around `fetchFn` (nonces live in IndexedDB, not in the fetcher). Two of its
 * defaults do not fit: without a `dpopNonceId` it sends no proof at all, and its own token getter passes
 * `audience: undefined`, which drops the configured audience. The token's `token_type` decides the scheme.
 */
function sendDpop (auth: Pick<AuthClient, 'createFetcher' | 'getTokenSilently'>, url: string, fetchFn: typeof fetch) {
  const fetcher = auth.createFetcher({
    dpopNonceId: API_NONCE_ID,
    getAccessToken: () => auth.getTokenSilently({ detailedResponse: true }),
    fetch: request => unreachableIfThrows(() => fetchFn(request))
  })
  return fetcher.fetchWithAuth(url)
}

async function unreachableIfThrows (send: () => Promise<Response>) {
  try {
    return await send()
  } catch {
    throw new Unreachable()
  }
}
