import { createDecoder, createVerifier } from 'fast-jwt'
import buildGetJwks from 'get-jwks'
import { Agent } from 'undici'

export const AUTH_ERRORS = {
  /** The token is missing a part, forged, expired, for someone else, or signed by a key we do not know. */
  INVALID_TOKEN: 'invalid_token',
  /** The issuer's JWKS cannot be fetched and no cached key fits: our outage, not the caller's fault. */
  JWKS_UNAVAILABLE: 'jwks_unavailable'
} as const

export class AuthError extends Error {
  override name = 'AuthError'
  constructor (
    readonly code: typeof AUTH_ERRORS[keyof typeof AUTH_ERRORS],
    /** Why, for the logs only (fast-jwt or get-jwks code). */
    readonly reason: string
  ) {
    super(code === AUTH_ERRORS.INVALID_TOKEN ? 'Invalid access token' : 'Cannot verify access tokens right now')
  }
}

export type Claims = Record<string, unknown> & { sub: string }

export interface JwtVerifierOptions {
  /** Exact `iss`, with its trailing slash, e.g. `https://tenant.auth0.com/`. */
  issuer: string
  audience: string
  /** The JWKS URL, when the API reaches the issuer at another address than `<issuer>.well-known/jwks.json`. */
  jwksUri?: string
  clockToleranceMs?: number
  /** How long a key from the JWKS is trusted before it is fetched again. */
  keyTtlMs?: number
  /** After a lookup failed, how long unknown kids are refused without asking the issuer again. */
  cooldownMs?: number
  /** Connect, response-headers and idle-body timeout of a JWKS fetch. */
  timeoutMs?: number
}

type Verify = (token: string) => Claims
const MAX_KEYS = 32

/**
 * Verifies Auth0 access tokens: RS256 only, keys only from the configured issuer's JWKS
 * (via get-jwks), one fast-jwt verifier per key id so the key is parsed once, not per request.
 * @see https://github.com/nearform/get-jwks#integration-examples
 */
export function createJwtVerifier (options: JwtVerifierOptions) {
  const { issuer, audience, clockToleranceMs = 5_000, keyTtlMs = 10 * 60_000, cooldownMs = 30_000, timeoutMs = 2_000 } = options
  const jwks = new URL(options.jwksUri ?? `${issuer}.well-known/jwks.json`)
  const jwksBase = `${jwks.origin}/`
  // Node's fetch ignores get-jwks' `timeout` option; an undici dispatcher enforces one.
  // (`as never`: undici 7's types and Node's bundled undici-types differ, the runtime contract does not.)
  const dispatcher = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
  const getJwks = buildGetJwks({
    max: MAX_KEYS,
    ttl: keyTtlMs,
    issuersWhitelist: [jwksBase],
    jwksPath: jwks.pathname + jwks.search,
    fetchOptions: { dispatcher: dispatcher as never }
  })
  const decode = createDecoder({ complete: true })

  const keys = new Map<string, { verify: Verify, expiresAt: number }>()
  let blockedUntil = 0
  let blockedBy = new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'JWK_NOT_FOUND')
  // Lookups that need the network run one at a time: concurrent requests for a kid share
  // the first one's result, and a failure's cooldown covers everyone queued behind it.
  let queue: Promise<unknown> = Promise.resolve()

  async function load (kid: string): Promise<Verify> {
    const known = keys.get(kid)
    const now = Date.now()
    if (known && known.expiresAt > now) return known.verify
    // During a cooldown an unknown kid is refused without asking the issuer. After an outage that
    // holds for known kids too: otherwise each queued request would wait out its own timeout.
    if (now < blockedUntil && (!known || blockedBy.code === AUTH_ERRORS.JWKS_UNAVAILABLE)) throw blockedBy
    try {
      const key = await getJwks.getPublicKey({ domain: jwksBase, alg: 'RS256', kid })
      const verify = createVerifier({
        key,
        algorithms: ['RS256'],
        allowedIss: issuer,
        allowedAud: audience,
        requiredClaims: ['iss', 'aud', 'exp', 'sub'],
        clockTolerance: clockToleranceMs
      }) as Verify
      keys.delete(kid)
      keys.set(kid, { verify, expiresAt: Date.now() + keyTtlMs })
      if (keys.size > MAX_KEYS) keys.delete(keys.keys().next().value!)
      return verify
    } catch (err) {
      const error = toAuthError(err)
      if (error.code === AUTH_ERRORS.INVALID_TOKEN) keys.delete(kid)
      blockedUntil = Date.now() + cooldownMs
      blockedBy = error
      throw error
    }
  }

  function verifierFor (kid: string): Verify | Promise<Verify> {
    const known = keys.get(kid)
    if (known && known.expiresAt > Date.now()) return known.verify
    const next = queue.then(() => load(kid))
    queue = next.catch(() => {})
    return next
  }

  return {
    async verify (token: string): Promise<Claims> {
      let kid: unknown
      try {
        kid = decode(token).header.kid
      } catch (err) {
        throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, (err as { code?: string }).code ?? 'MALFORMED')
      }
      if (typeof kid !== 'string' || kid === '') throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'MISSING_KID')
      const verify = await verifierFor(kid)
      let claims: Claims
      try {
        claims = verify(token)
      } catch (err) {
        throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, (err as { code?: string }).code ?? 'INVALID')
      }
      if (typeof claims.sub !== 'string' || claims.sub === '') throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'INVALID_SUB')
      return claims
    },
    /** Seconds a client should wait before retrying after JWKS_UNAVAILABLE. */
    retryAfterSeconds: Math.ceil(cooldownMs / 1000),
    close: () => dispatcher.close()
  }
}

export type JwtVerifier = ReturnType<typeof createJwtVerifier>

/** get-jwks says JWK_NOT_FOUND when the issuer does not know the kid; anything else means we could not ask. */
function toAuthError (err: unknown): AuthError {
  const code = (err as { code?: string }).code
  if (code === 'JWK_NOT_FOUND') return new AuthError(AUTH_ERRORS.INVALID_TOKEN, code)
  if (code === 'FAST_JWT_INVALID_KEY') return new AuthError(AUTH_ERRORS.INVALID_TOKEN, code)
  const cause = (err as { cause?: { code?: string } }).cause
  return new AuthError(AUTH_ERRORS.JWKS_UNAVAILABLE, code ?? cause?.code ?? (err as Error).name)
}
