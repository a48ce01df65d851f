/**
 * Verifies Auth0 access tokens with fast-jwt against the issuer's key set (JWKS).
 *
 * - Fetched: only from the configured JWKS URL (never from anything a token names: `jku`, `x5u`, `jwk`),
 *   by one request at a time, with a total timeout, no redirects.
 * - Kept: every fetch replaces the whole set with all of its RS256 signing keys, each parsed once by
 *   node:crypto into its own fast-jwt verifier. A key stays usable while it is in the last set fetched.
 * - Refreshed: a set older than `keyTtlMs` is fetched again before use; a kid that is not in the set
 *   triggers a fetch too. Fetches are rate-limited: at most one per `cooldownMs`, counted from the last
 *   attempt, whatever kids arrive. A flood of made-up kids thus costs the issuer one fetch per cooldown
 *   and cannot delay a real key: a key the issuer publishes is accepted within one cooldown.
 * - Refused: an unknown kid when the fresh set lacks it or while cooling down (401). When the issuer cannot be
 *   reached, the keys already known keep working (without waiting for the retries); only a kid that needs the
 *   set answers 503 until the cooldown ends.
 * @see https://github.com/panva/jose/blob/main/docs/jwks/remote/functions/createRemoteJWKSet.md (the same model)
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto'
import { createDecoder, createVerifier } from 'fast-jwt'
import { HttpError } from '../errors.js'
import { DPOP_ALGORITHMS } from './dpop.js'

export const AUTH_ERRORS = {
  /** No bearer token at all: 401 with a bare `Bearer` challenge (RFC 6750 §3.1). */
  MISSING_TOKEN: 'unauthorized',
  /** The token is malformed, forged, expired, for someone else, or signed by a key we do not know: 401. */
  INVALID_TOKEN: 'invalid_token',
  /** A DPoP proof missing, malformed, or not for this request, key or token: 401 (RFC 9449 §7.1). */
  INVALID_DPOP_PROOF: 'invalid_dpop_proof',
  /** A valid token that may not use this route (a machine token on /me, an application not allowed): 403. */
  FORBIDDEN: 'forbidden',
  /** A valid token without a permission the route needs: 403, the challenge names them (RFC 6750 §3.1). */
  INSUFFICIENT_SCOPE: 'insufficient_scope',
  /** The issuer's JWKS cannot be fetched and no known key fits: our outage, not the caller's fault: 503. */
  JWKS_UNAVAILABLE: 'jwks_unavailable'
} as const

type AuthCode = typeof AUTH_ERRORS[keyof typeof AUTH_ERRORS]

const AUTH_ANSWERS: Record<AuthCode, { status: number, message: string }> = {
  unauthorized: { status: 401, message: 'Missing bearer token' },
  invalid_token: { status: 401, message: 'Invalid access token' },
  invalid_dpop_proof: { status: 401, message: 'Invalid DPoP proof' },
  forbidden: { status: 403, message: 'This token may not call this route' },
  insufficient_scope: { status: 403, message: 'This token lacks a permission this route needs' },
  jwks_unavailable: { status: 503, message: 'Cannot verify access tokens right now' }
}

export class AuthError extends HttpError {
  override name = 'AuthError'
  constructor (
    override readonly code: AuthCode,
    /** Why, for the logs only (a fast-jwt code, or what went wrong with the JWKS or the DPoP proof). */
    readonly reason: string,
    { message = AUTH_ANSWERS[code].message, retryAfterSeconds, scheme = 'Bearer', scope }:
    { message?: string, retryAfterSeconds?: number, scheme?: Scheme, scope?: string } = {}
  ) {
    const extra = { challenge: challenge(code, message, scheme, scope), retryAfterSeconds }
    super(AUTH_ANSWERS[code].status, code, message, extra)
  }
}

type Scheme = 'Bearer' | 'DPoP'

/**
 * The challenge names the same error as the body (RFC 6750 §3), in the scheme the client used; a request
 * without a token gets a bare one. `insufficient_scope` also names the permissions the route needs, and a
 * DPoP challenge lists the proof algorithms the API takes (RFC 9449 §7.1).
 */
function challenge (code: AuthCode, message: string, scheme: Scheme, scope?: string): string | undefined {
  if (code === AUTH_ERRORS.FORBIDDEN || code === AUTH_ERRORS.JWKS_UNAVAILABLE) return undefined
  const params = code === AUTH_ERRORS.MISSING_TOKEN ? [] : [`error="${code}"`, `error_description="${message}"`]
  if (scope) params.push(`scope="${scope}"`)
  if (scheme === 'DPoP') params.push(`algs="${DPOP_ALGORITHMS.join(' ')}"`)
  return params.length ? `${scheme} ${params.join(', ')}` : scheme
}

export type Claims = Record<string, unknown> & { sub: string }

export interface JwtVerifierOptions {
  /** Exact `iss`, with its trailing slash, e.g. `https://tenant.auth0.com/`. */
  issuer: string
  audience: string
  /** The JWKS URL, when the API reaches the issuer at another address than `<issuer>.well-known/jwks.json`. */
  jwksUri?: string
  clockToleranceMs?: number
  /** Tokens issued longer ago are refused whatever their `exp`: Auth0's longest access-token lifetime. */
  maxTokenAgeMs?: number
  /** How long a fetched key set is used before it is fetched again. */
  keyTtlMs?: number
  /** The least time between two fetches of the key set. */
  cooldownMs?: number
  /** Total time a JWKS fetch may take: connect, headers and body. */
  timeoutMs?: number
}

type Verify = (token: string) => Claims
/** Auth0 publishes two or three keys; a set of more is cut, so memory stays bounded. */
const MAX_KEYS = 16
const THIRTY_DAYS_MS = 30 * 24 * 3600_000

export function createJwtVerifier (options: JwtVerifierOptions) {
  const {
    issuer, audience, clockToleranceMs = 5_000, maxTokenAgeMs = THIRTY_DAYS_MS,
    keyTtlMs = 10 * 60_000, cooldownMs = 30_000, timeoutMs = 2_000
  } = options
  const jwksUri = options.jwksUri ?? `${issuer}.well-known/jwks.json`
  const decode = createDecoder({ complete: true })

  let keys = new Map<string, Verify>()
  let fetchedAt = Number.NEGATIVE_INFINITY
  let attemptedAt = Number.NEGATIVE_INFINITY
  let lastFailure: AuthError | undefined
  let pending: Promise<void> | undefined
  const controller = new AbortController()

  function verifierFor (key: JsonWebKey): Verify {
    const pem = createPublicKey({ key, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()
    return createVerifier({
      key: pem,
      algorithms: ['RS256'],
      allowedIss: issuer,
      allowedAud: audience,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub'],
      clockTolerance: clockToleranceMs,
      maxAge: maxTokenAgeMs
    }) as Verify
  }

  async function fetchKeys (): Promise<Map<string, Verify>> {
    // A timer of our own, not AbortSignal.any([.., AbortSignal.timeout()]): Node may garbage-collect a timeout
    // signal inside a composite one before it fires (nodejs/node#57736), and the fetch then never ends.
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(new DOMException('JWKS fetch timed out', 'TimeoutError')), timeoutMs)
    const onClose = () => abort.abort(controller.signal.reason)
    controller.signal.addEventListener('abort', onClose, { once: true })
    let body: { keys?: unknown }
    try {
      const { signal } = abort
      const response = await fetch(jwksUri, { signal, redirect: 'error', headers: { accept: 'application/json' } })
      if (!response.ok) throw failure(`JWKS_HTTP_${response.status}`)
      body = await response.json() as { keys?: unknown }
    } finally {
      clearTimeout(timer)
      controller.signal.removeEventListener('abort', onClose)
    }
    if (!Array.isArray(body.keys)) throw failure('JWKS_MALFORMED')
    const next = new Map<string, Verify>()
    for (const jwk of body.keys as Array<JsonWebKey & { kid?: unknown, use?: unknown }>) {
      try {
        const signing = (jwk.use ?? 'sig') === 'sig' && (jwk.alg ?? 'RS256') === 'RS256'
        if (!signing || typeof jwk.kid !== 'string' || jwk.kid === '' || next.size === MAX_KEYS) continue
        // A key that is not RSA (EC, OKP, oct) fails here too: node:crypto or fast-jwt refuses it for RS256.
        next.set(jwk.kid, verifierFor(jwk))
      } catch {} // one unreadable key or junk entry (null) does not take the others down with it
    }
    if (next.size === 0) throw failure('JWKS_WITHOUT_SIGNING_KEYS')
    return next
  }

  /** One fetch at a time; its result replaces the whole set, its failure leaves the known keys in place. */
  function refresh (): Promise<void> {
    pending ??= (async () => {
      attemptedAt = Date.now()
      try {
        keys = await fetchKeys()
        fetchedAt = Date.now()
        lastFailure = undefined
      } catch (err) {
        const retryAfterSeconds = Math.ceil(cooldownMs / 1000)
        lastFailure = new AuthError(AUTH_ERRORS.JWKS_UNAVAILABLE, reasonOf(err), { retryAfterSeconds })
      } finally {
        pending = undefined
      }
    })()
    return pending
  }

  async function keyFor (kid: string): Promise<Verify> {
    const now = Date.now()
    const stale = now - fetchedAt >= keyTtlMs
    const mayFetch = pending !== undefined || now - attemptedAt >= cooldownMs
    const known = keys.get(kid)
    // During an outage a known key answers at once and the retry goes on without the caller: only the
    // first request of an outage waits for a fetch to time out.
    if (known && stale && lastFailure) {
      if (mayFetch) refresh().catch(() => {})
      return known
    }
    if ((stale || !known) && mayFetch) await refresh()
    const verify = keys.get(kid)
    if (verify) return verify
    // The issuer could not be asked (now or during this cooldown): our outage, not the caller's fault.
    if (lastFailure) throw lastFailure
    throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'JWK_NOT_FOUND')
  }

  return {
    async verify (token: string): Promise<Claims> {
      let kid: unknown
      try {
        kid = decode(token).header.kid
      } catch (err) {
        throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, reasonOf(err))
      }
      if (typeof kid !== 'string' || kid === '') throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'MISSING_KID')
      const verify = await keyFor(kid)
      let claims: Claims
      try {
        claims = verify(token)
      } catch (err) {
        throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, reasonOf(err))
      }
      // fast-jwt checks `nbf` and `exp` but not an `iat` in the future.
      if ((claims.iat as number) * 1000 > Date.now() + clockToleranceMs) {
        throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'IAT_IN_THE_FUTURE')
      }
      if (typeof claims.sub !== 'string' || claims.sub === '') {
        throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'INVALID_SUB')
      }
      return claims
    },
    /** Aborts a fetch in flight, so closing the app never waits on the issuer. */
    close: async () => controller.abort()
  }
}

/** What a failed fetch is logged as (its `code`), next to Node's own network and timeout errors. */
const failure = (code: string) => Object.assign(new Error(code), { code })

function reasonOf (err: unknown): string {
  const { code, name, cause } = err as { code?: unknown, name?: string, cause?: { code?: string } }
  // fast-jwt and Node's network errors carry a string code; an aborted fetch is a DOMException (TimeoutError).
  return typeof code === 'string' ? code : cause?.code ?? name ?? 'ERROR'
}
