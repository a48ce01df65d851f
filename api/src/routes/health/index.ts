import type { FastifyInstance } from 'fastify'
import { HealthSchema } from '../../schemas/index.js'

/** `/health`: public, for load balancers and the stand-ins' readiness checks. */
export default async function healthRoutes (fastify: FastifyInstance) {
  fastify.get('/health', {
    config: { auth: false },
    schema: { response: { 200: HealthSchema } }
  }, async () => ({ status: 'ok' }))
}
