import type { FastifyInstance, onRequestHookHandler, preHandlerHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { createReplayStore, type ReplayStore } from '../replay/index.js'
import { createAuthenticate, type AuthenticateOptions } from './authenticate.js'
import { DPOP_WINDOW_SECONDS } from './dpop.js'
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

export interface AuthPluginOptions extends Omit<AuthenticateOptions, 'replayStore'> {
  /** The replay memory: DPOP_REPLAY_TABLE (the table every instance shares) or else this process's memory. */
  replay?: { tableName?: string, region?: string, proofsPerSecond?: number }
  /** A replay store to use instead (tests share one between two apps). */
  replayStore?: ReplayStore
  /** AUTH0_PERMISSIONS_IN_SCOPE: the tenant puts permissions in `scope`, so it counts (authorize.ts). */
  permissionsInScope?: boolean
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
export default fp(async function auth (fastify: FastifyInstance, options: AuthPluginOptions) {
  const { replayStore: given, replay = {}, permissionsInScope = false, ...authOptions } = options
  const replayStore = given ?? createReplayStore({ ...replay, windowSeconds: DPOP_WINDOW_SECONDS })
  const { authenticate, close } = createAuthenticate({ ...authOptions, replayStore })
  fastify.addHook('onClose', async () => {
    await close()
    // The store it made is the plugin's to close; a given one is the caller's.
    if (!given) await replayStore.close?.()
  })
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
      authorize(request, claims, rule, { permissionsInScope })
      request.user = claims
      if (request.validationError) throw request.validationError
    }
    route.attachValidation = true
    route.preHandler = [check, ...[route.preHandler ?? []].flat()]
  })
}, { name: 'auth' })
