import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import type { ReplayStore } from '../replay/index.js'
import { createDpopVerifier, DpopError } from './dpop.js'
import { AuthError } from './errors.js'
import { createTokenVerifier, type Claims, type TokenVerifierOptions } from './token-verifier.js'

// RFC 6750 §2.1 and RFC 9449 §7.1: the scheme is case-insensitive, the token is a b64token.
const CREDENTIALS = /^(Bearer|DPoP) +([\w\-.~+/]+=*) *$/i
/** The scheme the Authorization header names, lower-cased, when it is one the API knows. */
const schemeOf = (request: FastifyRequest) => /^(bearer|dpop)\b/i.exec(request.headers.authorization ?? '')?.[1]
  ?.toLowerCase()

/** The scheme a refusal is answered in: the one the client used. */
export const answerSchemeOf = (request: FastifyRequest) => schemeOf(request) === 'dpop' ? 'DPoP' : 'Bearer'

export interface AuthenticateOptions extends TokenVerifierOptions {
  /** AUTH0_ALLOWED_CLIENT_IDS: when given, only tokens issued to these applications (`azp`) get in. */
  allowedClientIds?: string[]
  /** DPOP_MODE: `allowed` (bound tokens need proofs, unbound Bearer tokens still work), `required`, `disabled`. */
  dpopMode?: Config['DPOP_MODE']
  /** API_PUBLIC_URL without its trailing slash: the base of the URL DPoP proofs must name (`htu`). */
  publicUrl?: string
  /** Where DPoP proofs seen are remembered: this process's memory or the shared table (plugin.ts). */
  replayStore: ReplayStore
}

/**
 * The URL the client called, for `htu`: the configured public base, or else, under the Lambda handler,
 * https and the Host header (API Gateway terminates TLS and routes by Host, so Host is what the client used;
 * an HTTP API's $default stage adds no path, a REST API's stage does and needs API_PUBLIC_URL), or else the
 * server's own view, plain http on loopback and in compose. X-Forwarded-* headers are not trusted: API Gateway
 * passes a client's on, so a proof made for another server could be made to fit.
 */
function publicUrlOf (request: FastifyRequest, base?: string): string {
  // @fastify/aws-lambda puts the invocation's event on the request; a client header cannot (GHSA-m93c-jj3f-68ph).
  const underLambda = (request as { awsLambda?: { event?: unknown } }).awsLambda?.event !== undefined
  const origin = base ?? `${underLambda ? 'https' : request.protocol}://${request.host}`
  // An absolute-form target (`GET http://host/me`, RFC 9112 §3.2.2) is routed by its path, so its path is what
  // the proof must name; its authority is the client's word, as Host is, and is not used.
  const target = request.url.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, '') || '/'
  return origin + target // the proof verifier ignores the query, as RFC 9449 §4.3 says
}

/**
 * `authenticate(request)` returns the verified claims or throws an AuthError: 401 (no valid token or DPoP
 * proof), 403 (a valid token from an application not allowed), or the key set's 503. Proofs are refused with
 * 401, as oidc-provider does, not Auth0's 400: auth0-spa-js's fetcher retries only on a 401, and a new proof
 * (or token) is what the client needs.
 */
export function createAuthenticate (options: AuthenticateOptions) {
  const { allowedClientIds, dpopMode = 'allowed', publicUrl, replayStore, ...verifierOptions } = options
  const verifier = createTokenVerifier(verifierOptions)
  const dpop = createDpopVerifier({ replayStore, now: options.now })

  const missing = (reason: string) => new AuthError('unauthorized', reason,
    dpopMode === 'required' ? { scheme: 'DPoP', message: 'Missing DPoP-bound access token' } : {})

  async function authenticate (request: FastifyRequest): Promise<Claims> {
    const scheme = schemeOf(request)
    // A scheme this mode does not take is no credential at all, as Basic is (RFC 9449 §7.1, §7.2).
    if (!scheme || (scheme === 'dpop' && dpopMode === 'disabled') || (scheme === 'bearer' && dpopMode === 'required')) {
      throw missing(scheme ? `${scheme.toUpperCase()}_SCHEME_NOT_ALLOWED` : 'NO_TOKEN')
    }
    // A DPoP client is answered in its own scheme, which names the proof algorithms (RFC 9449 §7.1).
    const asDpop = scheme === 'dpop' ? { scheme: 'DPoP' as const } : {}
    const token = CREDENTIALS.exec(request.headers.authorization ?? '')?.[2]
    if (!token) throw new AuthError('invalid_token', 'MALFORMED_AUTHORIZATION_HEADER', asDpop)
    let claims: Claims
    try {
      claims = await verifier.verify(token)
    } catch (err) {
      if (err instanceof AuthError && scheme === 'dpop') throw new AuthError('invalid_token', err.reason, asDpop)
      throw err
    }
    const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt
    if (scheme === 'bearer' && jkt !== undefined) {
      // RFC 9449 §7.2: a DPoP-bound token sent as a bearer token is refused, in every mode; without this
      // check, a stolen bound token would work without the key.
      throw new AuthError('invalid_token', 'BOUND_TOKEN_AS_BEARER', { scheme: 'DPoP' })
    }
    if (scheme === 'dpop') {
      const proof = request.headers.dpop
      // Node joins repeated headers with ", " and a JWT has no comma: exactly one proof (RFC 9449 §4.3 check 1).
      if (typeof proof !== 'string' || proof.includes(',')) {
        throw new AuthError('invalid_dpop_proof', proof === undefined ? 'NO_DPOP_PROOF' : 'SEVERAL_DPOP_PROOFS', asDpop)
      }
      try {
        // The proof's key must be the one the token was issued to (an unbound token has no key: refused too).
        const url = publicUrlOf(request, publicUrl)
        await dpop.verify({ proof, method: request.method, url, accessToken: token, jkt })
      } catch (err) {
        if (!(err instanceof DpopError)) throw err // the replay memory's 503
        throw new AuthError(err.reason === 'JKT_MISMATCH' ? 'invalid_token' : 'invalid_dpop_proof', err.reason, asDpop)
      }
    }
    // Only a string azp can name the application: a list or a missing azp is refused, whatever the list holds.
    if (allowedClientIds && !(typeof claims.azp === 'string' && allowedClientIds.includes(claims.azp))) {
      throw new AuthError('forbidden', 'CLIENT_NOT_ALLOWED', { message: 'This application may not call the API' })
    }
    return claims
  }

  return { authenticate, close: verifier.close }
}
