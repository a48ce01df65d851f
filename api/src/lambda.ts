import awsLambdaFastify from '@fastify/aws-lambda'
import { buildApp } from './app.js'
import { loadConfigOrExit } from './config.js'

// Module scope: built once per Lambda container and reused by every warm invocation.
const app = buildApp(loadConfigOrExit())
const proxy = awsLambdaFastify<unknown>(app)

/**
 * Fastify's answer as API Gateway wants it, less `connection: keep-alive`, which Node's HTTP layer adds to every
 * answer about a connection the function never had. API Gateway drops it; `sam local start-api` passes it on next
 * to its own `Connection: close`, and a browser that believes the first then waits on a closed connection.
 */
export const handler: typeof proxy = async (event, context) => {
  const response = await proxy(event, context)
  delete response.headers.connection
  return response
}

// The ESM bundle (template.yaml) allows top-level await: plugins load during the init phase, not the first request.
await app.ready()
