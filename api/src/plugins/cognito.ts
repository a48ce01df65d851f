import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { CognitoService } from '../services/cognito-service.js'

declare module 'fastify' {
  interface FastifyInstance {
    cognito: CognitoService
  }
}

export default fp(async function cognito (fastify: FastifyInstance, { service }: { service: CognitoService }) {
  fastify.decorate('cognito', service)
}, { name: 'cognito' })
