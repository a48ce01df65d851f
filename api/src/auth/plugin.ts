import type { FastifyInstance, onRequestHookHandler, preHandlerHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { createAuthenticate, type AuthenticateOptions } from './authenticate.js'
import { authorize, type AuthRule } from './authorize.js'
import { requireAwsCaller, type AwsCaller } from './aws-iam.js'
import type { Claims } from './token-verifier.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs: `false` (public), `true` (a signed-in person), or `{ permissions, machines }`. */
    auth?: AuthRule
  }
  interface FastifyRequest {
    user: Claims | null
    /** On `auth: 'aws_iam'` routes: who API Gateway's IAM authorization says signed the request. */
    awsCaller: AwsCaller | null
  }
}

const noStore: onRequestHookHandler = async (request, reply) => {
  reply.header('cache-control', 'no-store')
}

/**
 * Every route registered after this plugin says what it needs in its own options, `config: { auth }`, and
 * one onRoute hook gives it the hooks that enforce it. A route that says nothing stops the app at boot:
 * public is a choice (`auth: false`), never a default.
 *
 * A protected route authenticates at preHandler (the owner's design), which comes after schema validation;
 * attaching validation errors and raising them after auth keeps anonymous callers from learning a route's
 * schema from a 400. Its answers, errors included, are never cached. The plugin owns the verifiers: it
 * builds them from the options and closes them with the app.
 */
export default fp(async function auth (fastify: FastifyInstance, options: AuthenticateOptions) {
  const { authenticate, close } = createAuthenticate(options)
  fastify.addHook('onClose', close)
  fastify.decorateRequest('user', null)
  fastify.decorateRequest('awsCaller', null)

  fastify.addHook('onRoute', route => {
    const rule = route.config?.auth
    if (rule === undefined) {
      throw new Error(`${route.method} ${route.url} declares no auth: set config.auth (false for a public route)`)
    }
    if (rule === false) return
    route.onRequest = [noStore, ...[route.onRequest ?? []].flat()]
    if (rule === 'aws_iam') {
      // API Gateway verified the signature before the function ran; its authorizer context must be in the event.
      const requireCaller: preHandlerHookHandler = async request => { request.awsCaller = requireAwsCaller(request) }
      route.preHandler = [requireCaller, ...[route.preHandler ?? []].flat()]
      return
    }
    const check: preHandlerHookHandler = async request => {
      const claims = await authenticate(request)
      authorize(request, claims, rule)
      request.user = claims
      if (request.validationError) throw request.validationError
    }
    route.attachValidation = true
    route.preHandler = [check, ...[route.preHandler ?? []].flat()]
  })
}, { name: 'auth' })
