import type { FastifyInstance } from 'fastify'
import { HealthSchema } from '../../schemas/index.js'

export default async function healthRoutes (fastify: FastifyInstance) {
  fastify.get('/health', { schema: { response: { 200: HealthSchema } } }, async () => ({ status: 'ok' }))
}
