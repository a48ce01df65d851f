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

/** Decorates `authenticate`, a hook that puts the verified claims on `request.user` or answers 401/503. */
export default fp(async function auth (fastify: FastifyInstance, { verifier }: { verifier: JwtVerifier }) {
  fastify.decorateRequest('user', null)

  fastify.decorate('authenticate', async function authenticate (request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization
    if (!header || !/^bearer\b/i.test(header)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Missing bearer token' })
    }
    try {
      const token = BEARER.exec(header)?.[1]
      if (!token) throw new AuthError(AUTH_ERRORS.INVALID_TOKEN, 'MALFORMED_AUTHORIZATION_HEADER')
      request.user = await verifier.verify(token)
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

/**
 * Makes every route registered on `scope` require a valid token. Auth runs at preHandler (the
 * owner's design), which comes after schema validation; attaching validation errors and raising
 * them after auth keeps anonymous callers from learning a route's schema from a 400.
 */
export function requireAuth (scope: FastifyInstance) {
  scope.addHook('onRoute', route => { route.attachValidation = true })
  scope.addHook('preHandler', scope.authenticate)
  scope.addHook('preHandler', async request => {
    if (request.validationError) throw request.validationError
  })
}
