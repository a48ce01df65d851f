import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { HttpError } from '../errors.js'
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

// RFC 6750 §2.1: the scheme is case-insensitive, the token is a b64token.
const BEARER = /^Bearer +([\w\-.~+/]+=*) *$/i

interface AuthOptions extends JwtVerifierOptions {
  /** AUTH0_ALLOWED_CLIENT_IDS: when given, only tokens issued to these applications (`azp`) get in. */
  allowedClientIds?: string[]
}

/**
 * Decorates `authenticate`, a hook that puts the verified claims on `request.user` or throws an AuthError:
 * 401 (no valid token), 403 (a valid token from an application not allowed) or 503 (keys unreachable).
 * The plugin owns the verifier: it builds it from the options and closes it with the app.
 */
export default fp(async function auth (fastify: FastifyInstance, { allowedClientIds, ...options }: AuthOptions) {
  const verifier = createJwtVerifier(options)
  fastify.addHook('onClose', () => verifier.close())
  fastify.decorateRequest('user', null)

  fastify.decorate('authenticate', async function authenticate (request: FastifyRequest) {
    const header = request.headers.authorization
    if (!header || !/^bearer\b/i.test(header)) throw new AuthError(AUTH_ERRORS.MISSING_TOKEN, 'NO_BEARER_TOKEN')
    const token = BEARER.exec(header)?.[1]
    if (!token) throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'MALFORMED_AUTHORIZATION_HEADER')
    const claims = await verifier.verify(token)
    if (allowedClientIds && !allowedClientIds.includes(String(claims.azp))) {
      const message = 'This application may not call the API'
      throw new AuthError(AUTH_ERRORS.FORBIDDEN, 'CLIENT_NOT_ALLOWED', { message })
    }
    request.user = claims
  })
}, { name: 'auth' })

/** Auth0 marks client-credentials tokens with `gty`; their `sub` is `<client id>@clients`. */
const isMachineToken = (claims: Claims) => claims.gty === 'client-credentials' || claims.sub.endsWith('@clients')

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
      throw new HttpError(403, 'insufficient_scope', `This token lacks the permission ${missing.join(', ')}`,
        { challenge: `Bearer error="insufficient_scope", scope="${permissions.join(' ')}"` })
    }
    if (request.validationError) throw request.validationError
  })
}
