import type { AuthClient } from './auth.js'
import { lazyAws, type AwsAccess } from './aws/lazy.js'
import type { WebConfig } from './config.js'

/**
 * The API's answers as the pages read them: the fields of api/src/schemas/index.ts (MeSchema,
 * FederatedUserSchema) that a page shows. web/ cannot import api/, so this is their one copy in the SPA.
 */
export interface FederatedUser {
  username: string
  status: string | null
  enabled: boolean | null
  created_at: string | null
}
export interface MeAnswer {
  cognito_result: { user_pool: { id: string, name: string | null }, federated_user: FederatedUser | null }
}

export type ApiResult<T = unknown> =
  | { kind: 'ok', body: T }
  | { kind: 'login-required', reason: string }
  /** 403: signed in, but this token may not do this (a permission it lacks, ...): the API's message says why. */
  | { kind: 'forbidden', message: string }
  | { kind: 'not-found', message: string }
  | { kind: 'unavailable', status: number, error: string, message: string }
  | { kind: 'network', message: string }
  | { kind: 'failed', status: number, message: string }

/** The API, as the pages call it. Every method sorts every outcome into one the page can show; none throws. */
export interface ApiClient {
  /** Where the API is: the pages name it while they wait. */
  baseUrl: string
  me: () => Promise<ApiResult<MeAnswer>>
  /** `/users/:sub` (needs `read:users`): another user's federated profile. */
  user: (sub: string) => Promise<ApiResult<FederatedUser>>
  /** The identity-pool path (AWS credentials, the SigV4-signed routes), when the SPA is configured for it. */
  aws: AwsAccess | undefined
}

// getTokenSilently's answers that only a new interactive login can fix.
export const LOGIN_ERRORS = new Set([
  'login_required', 'consent_required', 'interaction_required', 'missing_refresh_token', 'invalid_grant'
])

/** The key under which auth0-spa-js keeps this API's DPoP nonces, apart from Auth0's own (RFC 9449 §9). */
const API_NONCE_ID = 'api'

/** fetch() itself failed: the API is down or unreachable, whatever the token. */
class Unreachable extends Error {}

/**
 * The app's one API client, built at start-up beside the one Auth0 client. Bearer (RFC 6750): getTokenSilently()
 * sent as `Authorization: Bearer`. With `useDpop` (RFC 9449): the SDK's fetcher, made once here, sends
 * `Authorization: DPoP` and a fresh proof of the browser's key with every request, and retries once when the API
 * asks for a nonce. Two of the fetcher's defaults do not fit: without a `dpopNonceId` it sends no proof at all, and
 * its own token getter passes `audience: undefined`, which drops the configured audience.
 */
export function createApiClient (
  auth: AuthClient, config: Pick<WebConfig, 'backendBaseUrl' | 'useDpop' | 'awsIdentity'>,
  fetchFn: typeof fetch = fetch, now = Date.now
): ApiClient {
  const baseUrl = config.backendBaseUrl
  const send = (request: RequestInfo) => unreachableIfThrows(() => fetchFn(request))
  let request: (url: string) => Promise<Response | undefined>
  if (config.useDpop) {
    const fetcher = auth.createFetcher({
      dpopNonceId: API_NONCE_ID,
      getAccessToken: () => auth.getTokenSilently({ detailedResponse: true }),
      fetch: send
    })
    request = url => fetcher.fetchWithAuth(url)
  } else {
    request = async url => {
      const token = await auth.getTokenSilently()
      return token ? send(new Request(url, { headers: { authorization: `Bearer ${token}` } })) : undefined
    }
  }

  async function get<T> (path: string, fits: (body: unknown) => boolean): Promise<ApiResult<T>> {
    let res: Response | undefined
    try {
      res = await request(`${baseUrl}${path}`)
    } catch (err) {
      return tokenProblem(err, baseUrl)
    }
    if (!res) return { kind: 'login-required', reason: 'no_access_token' }
    const body: unknown = await res.json().catch(() => null)
    // Any API can be configured here: a page reads only an answer of the shape it expects.
    if (res.ok) {
      return fits(body)
        ? { kind: 'ok', body: body as T }
        : { kind: 'failed', status: res.status, message: `The API's answer to ${path} is not in the expected shape` }
    }
    return refusal(res.status, body)
  }

  return {
    baseUrl,
    me: () => get('/me', isMe),
    user: sub => get(`/users/${encodeURIComponent(sub)}`, isFederatedUser),
    aws: config.awsIdentity && lazyAws({ auth, settings: config.awsIdentity, fetch: fetchFn, now })
  }
}

/** Why no request went out, or why fetch() itself failed. */
function tokenProblem (err: unknown, baseUrl: string): ApiResult<never> {
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

/** An error status, with the API's `{ error, message }` body when it sent one. */
function refusal (status: number, body: unknown): ApiResult<never> {
  const { error, message } = (body ?? {}) as { error?: unknown, message?: unknown }
  const text = typeof message === 'string' ? message : `HTTP ${status}`
  if (status === 401) return { kind: 'login-required', reason: 'api_rejected_token' }
  if (status === 403) return { kind: 'forbidden', message: text }
  if (status === 404) return { kind: 'not-found', message: text }
  // 502/503: Cognito (or Auth0's JWKS) failing behind the API; the API's short message says which.
  if (status === 502 || status === 503) {
    return { kind: 'unavailable', status, error: typeof error === 'string' ? error : 'unavailable', message: text }
  }
  return { kind: 'failed', status, message: text }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

function isFederatedUser (value: unknown): boolean {
  return isObject(value) && typeof value.username === 'string'
}

function isMe (value: unknown): boolean {
  const cognito = isObject(value) ? value.cognito_result : undefined
  return isObject(cognito) && isObject(cognito.user_pool) && typeof cognito.user_pool.id === 'string' &&
    (cognito.federated_user === null || isFederatedUser(cognito.federated_user))
}

async function unreachableIfThrows (send: () => Promise<Response>) {
  try {
    return await send()
  } catch {
    throw new Unreachable()
  }
}
