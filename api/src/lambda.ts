import awsLambdaFastify from '@fastify/aws-lambda'
import { buildApp } from './app.js'
import { loadConfigOrExit } from './config.js'

// Module scope: built once per Lambda container and reused by every warm invocation.
const app = buildApp(loadConfigOrExit())

export const handler = awsLambdaFastify(app)

// The ESM bundle (template.yaml) allows top-level await: plugins load during the init phase, not the first request.
await app.ready()
