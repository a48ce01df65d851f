import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import {
  createCognitoClient, createCognitoService, type CognitoClient, type CognitoService
} from '../services/cognito-service.js'

declare module 'fastify' {
  interface FastifyInstance {
    cognito: CognitoService
  }
}

interface CognitoOptions {
  region: string
  userPoolId: string
  providerName: string
  /** A client to use instead of the plugin's own (tests); the plugin destroys only the client it created. */
  client?: CognitoClient
}

/** Decorates `cognito`: the pool and federated-user reads, over one SDK client for the process. */
export default fp(async function cognito (fastify: FastifyInstance, options: CognitoOptions) {
  const { region, userPoolId, providerName, client } = options
  const own = client ? undefined : createCognitoClient(region)
  const service = createCognitoService({ client: client ?? own!, userPoolId, providerName, log: fastify.log })
  fastify.decorate('cognito', service)
  fastify.addHook('onClose', async () => { own?.destroy() })
}, { name: 'cognito' })
