/**
 * The yardstick of `npm run bench:cold`: the smallest Fastify behind @fastify/aws-lambda, built like the API
 * (same esbuild options, same top-level ready), so the API's cold start reads as a multiple of the framework's.
 */
import awsLambdaFastify from '@fastify/aws-lambda'
import Fastify from 'fastify'

const app = Fastify()
app.get('/health', async () => ({ status: 'ok' }))
export const handler = awsLambdaFastify(app)
await app.ready()
