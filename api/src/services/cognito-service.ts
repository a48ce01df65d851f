import type {
  AdminGetUserCommandOutput,
  AttributeType,
  CognitoIdentityProviderClient,
  UserPoolType
} from '@aws-sdk/client-cognito-identity-provider'
import { importCommonJs, lazyClient, upstreamOf, type Upstream } from '../aws-sdk.js'
import { ApiError } from '../errors.js'

/** The SDK, loaded by the first call to Cognito (the first /me): see aws-sdk.ts. */
const loadSdk = () => importCommonJs(import('@aws-sdk/client-cognito-identity-provider'))

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException'])

/** What Cognito failing is answered with: `cognito_throttled` (the caller may retry shortly) or `cognito_failed`. */
class CognitoError extends ApiError {
  override name = 'CognitoError'
  constructor (
    /** What the logs get: the SDK error name, AWS request id and HTTP status, never upstream text. */
    readonly upstream: Upstream
  ) {
    const throttled = THROTTLING.has(upstream.name)
    super(throttled ? 'cognito_throttled' : 'cognito_failed', {
      reason: upstream.name, retryAfterSeconds: throttled ? 1 : undefined
    })
  }
}

/**
 * One SDK client per process, made by its first `send` (see loadSdk). Region comes from config; credentials
 * and the endpoint come from the SDK's own chain (env keys, session token, Lambda role,
 * AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER). Short timeouts and two attempts keep a hanging Cognito from
 * hanging the API; tests shorten them further.
 */
export function createCognitoClient (region: string, timeouts: CognitoTimeouts = {}) {
  return lazyClient(() => connect(region, timeouts))
}

interface CognitoTimeouts {
  connectionTimeoutMs?: number
  requestTimeoutMs?: number
}

async function connect (region: string, { connectionTimeoutMs = 1_000, requestTimeoutMs = 2_000 }: CognitoTimeouts) {
  const { CognitoIdentityProviderClient } = await loadSdk()
  return new CognitoIdentityProviderClient({
    region,
    maxAttempts: 2,
    // The SDK's own NodeHttpHandler, from its options (NodeHttpHandler.create): its agents keep connections
    // alive (up to 50 sockets), so most of a /me is not a TLS handshake.
    requestHandler: {
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Without this flag the SDK only logs a warning when requestTimeout passes, and waits on.
      throwOnRequestTimeout: true
    }
  })
}

export type CognitoClient = Pick<CognitoIdentityProviderClient, 'send'>

/** Cognito's own description of a federated user: what AdminGetUser answers. */
export type FederatedUser = Omit<AdminGetUserCommandOutput, '$metadata'>

/**
 * Reads the pool (cached: DescribeUserPool is limited to 15 requests/s per account) and the
 * caller's federated user `<provider>_<sub>` (live: a sign-in through Cognito can create it any time).
 * Answers are Cognito's own types; the routes decide what of them to show.
 */
export function createCognitoService ({ client, userPoolId, providerName, poolTtlMs = 5 * 60_000, log }: {
  client: CognitoClient
  userPoolId: string
  providerName: string
  poolTtlMs?: number
  /** Where a look-alike user (see findFederatedUser) is reported. */
  log?: { warn: (details: object, message: string) => void }
}) {
  let pool: { value: Promise<UserPoolType>, expiresAt: number } | undefined

  async function fetchPool (): Promise<UserPoolType> {
    const { DescribeUserPoolCommand } = await loadSdk()
    const { UserPool } = await call(() => client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId })))
    return UserPool ?? { Id: userPoolId }
  }

  function describePool (): Promise<UserPoolType> {
    if (!pool || pool.expiresAt <= Date.now()) {
      // Concurrent callers share one request; a failure is not cached.
      const value = fetchPool()
      const entry = { value, expiresAt: Number.POSITIVE_INFINITY }
      pool = entry
      value.then(() => { entry.expiresAt = Date.now() + poolTtlMs }, () => { if (pool === entry) pool = undefined })
    }
    return pool.value
  }

  /**
   * The user Cognito created at the caller's federated sign-in. A username is not proof: where self sign-up
   * is open, anyone can sign up as `Auth0_<someone's sub>` first. Only a user that Cognito says came from
   * this provider (EXTERNAL_PROVIDER, and an `identities` entry for this provider and this sub) counts.
   */
  async function findFederatedUser (sub: string): Promise<FederatedUser | null> {
    const username = `${providerName}_${sub}`
    const { AdminGetUserCommand } = await loadSdk()
    let user: AdminGetUserCommandOutput
    try {
      user = await call(() => client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })))
    } catch (err) {
      // Not an error: the user has not signed in through Cognito's hosted UI yet.
      if (err instanceof CognitoError && err.upstream.name === 'UserNotFoundException') return null
      throw err
    }
    if (user.UserStatus !== 'EXTERNAL_PROVIDER' || !linkedTo(user.UserAttributes, providerName, sub)) {
      const warning = 'a pool user has the federated username but is not federated from Auth0: ignored'
      log?.warn({ username, status: user.UserStatus }, warning)
      return null
    }
    const { $metadata, ...federated } = user
    return federated
  }

  return { describePool, findFederatedUser }
}

export type CognitoService = ReturnType<typeof createCognitoService>

async function call<T> (send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (err) {
    throw new CognitoError(upstreamOf(err))
  }
}

/** Cognito's `identities` attribute: a JSON list of the provider links of a federated user. */
function linkedTo (attributes: AttributeType[] = [], providerName: string, sub: string): boolean {
  const value = attributes.find(({ Name }) => Name === 'identities')?.Value
  try {
    const identities: unknown = JSON.parse(value ?? '[]')
    return Array.isArray(identities) &&
      identities.some(identity => identity?.providerName === providerName && identity?.userId === sub)
  } catch {
    return false
  }
}
