import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AUTH_ERRORS, AuthError, type Claims, type JwtVerifier } from '../services/jwt-verifier.js'

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>
  }
  interface FastifyRequest {
    user: Claims | null
  }
}

// RFC 6750 §2.1: the scheme is case-insensitive, the token is a b64token.
const BEARER = /^Bearer +([\w\-.~+/]+=*) *$/i

export interface AuthOptions {
  verifier: JwtVerifier
  /** AUTH0_ALLOWED_CLIENT_IDS: when given, only tokens issued to these applications (`azp`) get in. */
  allowedClientIds?: string[]
}

/**
 * Decorates `authenticate`, a hook that puts the verified claims on `request.user` or answers
 * 401 (no valid token), 403 (a valid token from an application not allowed) or 503 (keys unreachable).
 */
export default fp(async function auth (fastify: FastifyInstance, { verifier, allowedClientIds }: AuthOptions) {
  fastify.decorateRequest('user', null)

  fastify.decorate('authenticate', async function authenticate (request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization
    if (!header || !/^bearer\b/i.test(header)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Missing bearer token' })
    }
    try {
      const token = BEARER.exec(header)?.[1]
      if (!token) throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'MALFORMED_AUTHORIZATION_HEADER')
      const claims = await verifier.verify(token)
      if (allowedClientIds && !allowedClientIds.includes(String(claims.azp))) {
        request.log.info({ reason: 'CLIENT_NOT_ALLOWED', azp: claims.azp }, 'access token refused')
        return reply.code(403).send({ error: 'forbidden', message: 'This application may not call the API' })
      }
      request.user = claims
    } catch (err) {
      if (!(err instanceof AuthError)) throw err
      request.log.info({ reason: err.reason }, 'access token rejected')
      if (err.code === AUTH_ERRORS.JWKS_UNAVAILABLE) {
        return reply.code(503).header('retry-after', verifier.retryAfterSeconds).send({ error: err.code, message: err.message })
      }
      return reply.code(401)
        .header('www-authenticate', `Bearer error="invalid_token", error_description="${err.message}"`)
        .send({ error: 'unauthorized', message: err.message })
    }
  })
}, { name: 'auth' })

/** Auth0 marks client-credentials tokens with `gty`; their `sub` is `<client id>@clients`. */
export const isMachineToken = (claims: Claims) => claims.gty === 'client-credentials' || claims.sub.endsWith('@clients')

/**
 * Makes every route registered on `scope` require a valid token, and (unless `machines` is set) one that
 * speaks for a person: machine-to-machine tokens get 403. Auth runs at preHandler (the owner's design),
 * which comes after schema validation; attaching validation errors and raising them after auth keeps
 * anonymous callers from learning a route's schema from a 400. Answers are never cached.
 */
export function requireAuth (scope: FastifyInstance, { machines = false } = {}) {
  scope.addHook('onRoute', route => { route.attachValidation = true })
  scope.addHook('onRequest', async (request, reply) => { reply.header('cache-control', 'no-store') })
  scope.addHook('preHandler', scope.authenticate)
  scope.addHook('preHandler', async (request, reply) => {
    if (!machines && isMachineToken(request.user!)) {
      request.log.info({ reason: 'MACHINE_TOKEN', azp: request.user!.azp }, 'access token refused')
      return reply.code(403).send({ error: 'forbidden', message: 'This route is for users, not machine-to-machine tokens' })
    }
    if (request.validationError) throw request.validationError
  })
}
