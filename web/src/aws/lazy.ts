import type { AuthClient } from '../auth.js'
import type { AwsIdentitySettings } from '../config.js'

/**
 * `GET /aws/whoami`'s answer (api/src/schemas: AwsWhoamiSchema): who API Gateway says signed the request.
 * web/ cannot import api/, so this is its one copy in the SPA.
 */
export interface WhoAmI {
  /** Null for an IAM caller that is not a Cognito identity. */
  identity_id: string | null
  identity_pool_id: string | null
  /** `arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials`: the role the pool's rules chose. */
  user_arn: string
  authentication_provider: string | null
  amr: string[]
}

/** What the page may show of the credentials: never the secret or the session token. */
export interface AwsIdentity {
  identityId: string
  /** Epoch milliseconds. */
  expiresAt: number
  /** Served from memory, without a call to the identity pool. */
  reused: boolean
}

export type AwsProblem =
  | { kind: 'login-required', reason: string }
  /** The identity pool refused the ID token (NotAuthorizedException). */
  | { kind: 'not-authorized', message: string }
  /** The pool's role rules gave this user no role (or an ambiguous one, denied), or its roles are misconfigured. */
  | { kind: 'no-role', message: string }
  /** API Gateway refused the signed request (403, its `message`). */
  | { kind: 'refused', status: number, message: string }
  | { kind: 'network', message: string }
  | { kind: 'failed', status: number, message: string }

export type AwsResult<T> = { kind: 'ok', body: T } | AwsProblem

/** The identity-pool path, as the page calls it. Every method sorts every outcome into one it can show; none throws. */
export interface AwsAccess {
  /** Where the signed requests go: the panel names it while it waits. */
  apiBaseUrl: string
  credentials: () => Promise<AwsResult<AwsIdentity>>
  whoami: () => Promise<AwsResult<WhoAmI>>
}

export interface AwsDeps {
  auth: AuthClient
  settings: AwsIdentitySettings
  fetch: typeof fetch
  /** Epoch milliseconds: the tests' clock. */
  now: () => number
}

/**
 * The AWS part of the page, loaded on first use: the signer and the exchange stay out of the main chunk, which
 * every visitor downloads (README: bundle budget). A failed load is tried again on the next click.
 */
export function lazyAws (deps: AwsDeps): AwsAccess {
  let loaded: Promise<Omit<AwsAccess, 'apiBaseUrl'>> | undefined
  const load = () => {
    loaded ??= import('./access.js').then(module => module.createAwsAccess(deps))
    return loaded.catch(err => { loaded = undefined; throw err })
  }
  const notLoaded = (): AwsProblem => ({
    kind: 'network', message: 'The AWS part of this page could not be loaded. Check the connection and try again.'
  })
  return {
    apiBaseUrl: deps.settings.apiBaseUrl,
    credentials: () => load().then(access => access.credentials(), notLoaded),
    whoami: () => load().then(access => access.whoami(), notLoaded)
  }
}
