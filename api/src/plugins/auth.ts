import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createDpopVerifier, DpopError } from '../services/dpop.js'
import {
  AUTH_ERRORS, AuthError, createJwtVerifier, type Claims, type JwtVerifierOptions
} from '../services/jwt-verifier.js'

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    user: Claims | null
  }
}

// RFC 6750 §2.1 and RFC 9449 §7.1: the scheme is case-insensitive, the token is a b64token.
const CREDENTIALS = /^(Bearer|DPoP) +([\w\-.~+/]+=*) *$/i
/** The scheme the Authorization header names, lower-cased, when it is one the API knows. */
const schemeOf = (request: FastifyRequest) => /^(bearer|dpop)\b/i.exec(request.headers.authorization ?? '')?.[1]
  ?.toLowerCase()

interface AuthOptions extends JwtVerifierOptions {
  /** AUTH0_ALLOWED_CLIENT_IDS: when given, only tokens issued to these applications (`azp`) get in. */
  allowedClientIds?: string[]
  /** DPOP_MODE: `allowed` (bound tokens need proofs, unbound Bearer tokens still work), `required`, `disabled`. */
  dpopMode?: Config['DPOP_MODE']
  /** API_PUBLIC_URL without its trailing slash: the base of the URL DPoP proofs must name (`htu`). */
  publicUrl?: string
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
  return origin + request.url // the proof verifier ignores the query, as RFC 9449 §4.3 says
}

/**
 * Decorates `authenticate`, a hook that puts the verified claims on `request.user` or throws an AuthError:
 * 401 (no valid token or DPoP proof), 403 (a valid token from an application not allowed) or 503 (keys
 * unreachable). The plugin owns the verifiers: it builds them from the options and closes them with the app.
 * Proofs are refused with 401, as oidc-provider does, not Auth0's 400: auth0-spa-js's fetcher retries only
 * on a 401, and a new proof (or token) is what the client needs.
 */
export default fp(async function auth (fastify: FastifyInstance, options: AuthOptions) {
  const { allowedClientIds, dpopMode = 'allowed', publicUrl, ...verifierOptions } = options
  const verifier = createJwtVerifier(verifierOptions)
  // Its replay memory is this process's (see services/dpop.ts): one Lambda instance, one container.
  const dpop = createDpopVerifier()
  fastify.addHook('onClose', () => verifier.close())
  fastify.decorateRequest('user', null)

  const missing = (reason: string) => new AuthError(AUTH_ERRORS.MISSING_TOKEN, reason,
    dpopMode === 'required' ? { scheme: 'DPoP', message: 'Missing DPoP-bound access token' } : {})

  fastify.decorate('authenticate', async function authenticate (request: FastifyRequest) {
    const header = request.headers.authorization ?? ''
    const scheme = schemeOf(request)
    // A scheme this mode does not take is no credential at all, as Basic is (RFC 9449 §7.1, §7.2).
    if (!scheme || (scheme === 'dpop' && dpopMode === 'disabled') || (scheme === 'bearer' && dpopMode === 'required')) {
      throw missing(scheme ? `${scheme.toUpperCase()}_SCHEME_NOT_ALLOWED` : 'NO_TOKEN')
    }
    const asDpop = scheme === 'dpop' ? { scheme: 'DPoP' as const } : {}
    const token = CREDENTIALS.exec(header)?.[2]
    if (!token) throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'MALFORMED_AUTHORIZATION_HEADER', asDpop)
    let claims: Claims
    try {
      claims = await verifier.verify(token)
    } catch (err) {
      // A DPoP client is answered in its own scheme, which names the proof algorithms (RFC 9449 §7.1).
      const invalid = err instanceof AuthError && err.code === AUTH_ERRORS.INVALID_TOKEN
      throw invalid && scheme === 'dpop' ? new AuthError(err.code, err.reason, asDpop) : err
    }
    const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt
    if (scheme === 'bearer' && jkt !== undefined) {
      // RFC 9449 §7.2: a DPoP-bound token sent as a bearer token is refused, in every mode; without this
      // check, a stolen bound token would work without the key.
      throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'BOUND_TOKEN_AS_BEARER', { scheme: 'DPoP' })
    }
    if (scheme === 'dpop') {
      const proof = request.headers.dpop
      // Node joins repeated headers with ", " and a JWT has no comma: exactly one proof (RFC 9449 §4.3 check 1).
      if (typeof proof !== 'string' || proof.includes(',')) {
        const reason = proof === undefined ? 'NO_DPOP_PROOF' : 'SEVERAL_DPOP_PROOFS'
        throw new AuthError(AUTH_ERRORS.INVALID_DPOP_PROOF, reason, asDpop)
      }
      let thumbprint: string
      try {
        thumbprint = await dpop.verify({
          proof, method: request.method, url: publicUrlOf(request, publicUrl), accessToken: token
        })
      } catch (err) {
        if (!(err instanceof DpopError)) throw err
        throw new AuthError(AUTH_ERRORS.INVALID_DPOP_PROOF, err.reason, asDpop)
      }
      // The proof's key must be the one the token was issued to (an unbound token has no key: refused too).
      if (jkt !== thumbprint) throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'JKT_MISMATCH', asDpop)
    }
    // Only a string azp can name the application: a list or a missing azp is refused, whatever the list holds.
    if (allowedClientIds && !(typeof claims.azp === 'string' && allowedClientIds.includes(claims.azp))) {
      const message = 'This application may not call the API'
      throw new AuthError(AUTH_ERRORS.FORBIDDEN, 'CLIENT_NOT_ALLOWED', { message })
    }
    request.user = claims
  })
}, { name: 'auth' })

/**
 * Auth0 marks client-credentials tokens with `gty` (a string, or a list in some tokens: `["password"]`);
 * their `sub` is `<client id>@clients`.
 */
const isMachineToken = (claims: Claims) =>
  [claims.gty].flat().includes('client-credentials') || claims.sub.endsWith('@clients')

/**
 * What the token may do: Auth0's `permissions` claim (RBAC with "Add Permissions in the Access Token"), or,
 * when that claim is absent, the space-separated `scope`. Matched exactly, never by prefix or pattern.
 */
function permissionsOf (claims: Claims): string[] {
  if (Array.isArray(claims.permissions)) return claims.permissions.filter(p => typeof p === 'string')
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : []
}

interface RequireAuthOptions {
  /** Let machine-to-machine tokens in (default: routes are for people; machines get 403). */
  machines?: boolean
  /** Permissions the token must hold, all of them: otherwise 403 insufficient_scope (RFC 6750 §3.1). */
  permissions?: string[]
}

/**
 * Makes every route registered on `scope` require a valid token (401 otherwise), one that speaks for a person
 * (unless `machines` is set) and holds every permission asked for (403 otherwise). Auth runs at preHandler
 * (the owner's design), which comes after schema validation; attaching validation errors and raising them after
 * auth keeps anonymous callers from learning a route's schema from a 400. Answers are never cached.
 */
export function requireAuth (scope: FastifyInstance, { machines = false, permissions = [] }: RequireAuthOptions = {}) {
  scope.addHook('onRoute', route => { route.attachValidation = true })
  scope.addHook('onRequest', async (request, reply) => { reply.header('cache-control', 'no-store') })
  scope.addHook('preHandler', scope.authenticate)
  scope.addHook('preHandler', async request => {
    const claims = request.user!
    if (!machines && isMachineToken(claims)) {
      const message = 'This route is for users, not machine-to-machine tokens'
      throw new AuthError(AUTH_ERRORS.FORBIDDEN, 'MACHINE_TOKEN', { message })
    }
    const held = permissionsOf(claims)
    const missing = permissions.filter(permission => !held.includes(permission))
    if (missing.length > 0) {
      throw new AuthError(AUTH_ERRORS.INSUFFICIENT_SCOPE, 'MISSING_PERMISSION', {
        message: `This token lacks the permission ${missing.join(', ')}`,
        scope: permissions.join(' '),
        // Answered in the scheme the token came in, as every other auth error.
        scheme: schemeOf(request) === 'dpop' ? 'DPoP' : 'Bearer'
      })
    }
    if (request.validationError) throw request.validationError
  })
}
