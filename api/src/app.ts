import { STATUS_CODES as HTTP_STATUS } from 'node:http'
import type { Socket } from 'node:net'
import cors from '@fastify/cors'
import Fastify, {
  LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions
} from 'fastify'
import { issuerFromDomain, type Config } from './config.js'
import authPlugin, { requireAuth } from './plugins/auth.js'
import cognitoPlugin from './plugins/cognito.js'
import healthRoutes from './routes/health/index.js'
import meRoutes from './routes/me/index.js'
import { CognitoError, createCognitoClient, createCognitoService, type CognitoClient } from './services/cognito-service.js'
import { createJwtVerifier } from './services/jwt-verifier.js'

export interface Deps {
  logger: FastifyServerOptions['logger']
  cognitoClient: CognitoClient
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'request_header_fields_too_large'
}
/** On every answer: a browser must never guess another type for the API's JSON. */
const NOSNIFF = { 'x-content-type-options': 'nosniff' }

/** One access-log line per request, written when it completes, instead of Fastify's two. */
class AccessLog extends LogController {
  override incomingRequest () {}
  override requestCompleted (error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else reply.log.info(line, 'request completed')
  }
}

/** pino JSON on stdout; a bearer token that ends up in a logged object is censored. */
export function loggerOptions (config: Pick<Config, 'LOG_LEVEL'>) {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'request.headers.authorization'], censor: '[redacted]' }
  }
}

/** Builds the whole API from its config. The HTTP server, the Lambda handler and the tests all call this. */
export function buildApp (config: Config, deps: Partial<Deps> = {}): FastifyInstance {
  const accessLog = new AccessLog()
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config),
    logController: accessLog,
    // Errors Fastify meets before routing (a malformed URL, ...) go through the same handler and access log as the rest.
    frameworkErrors (err, request, reply) {
      reply.raw.once('finish', () => accessLog.requestCompleted(null, request, reply))
      return handleError(err, request, reply)
    },
    // A request Node's HTTP parser rejects never becomes a request object: answer it in the same vocabulary.
    clientErrorHandler (err: NodeJS.ErrnoException, socket: Socket) {
      app.log.info({ err: { code: err.code } }, 'client error')
      if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return socket.destroy()
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
      const body = JSON.stringify({ error: STATUS_CODES[status], message: HTTP_STATUS[status] })
      socket.end(`HTTP/1.1 ${status} ${HTTP_STATUS[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`)
    }
  })
  app.addHook('onRequest', async (request, reply) => { reply.headers(NOSNIFF) })

  const verifier = createJwtVerifier({ issuer: issuerFromDomain(config.AUTH0_DOMAIN), audience: config.AUTH0_AUDIENCE, jwksUri: config.AUTH0_JWKS_URI })
  // The app closes only the client it created itself.
  const ownClient = deps.cognitoClient ? undefined : createCognitoClient(config.AWS_REGION)
  const cognitoClient = deps.cognitoClient ?? ownClient!
  app.addHook('onClose', async () => {
    await verifier.close()
    ownClient?.destroy()
  })

  function handleError (err: FastifyError | CognitoError, request: FastifyRequest, reply: FastifyReply) {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    request.log[status >= 500 ? 'error' : 'info']({ err, request: { method: request.method, url: request.url } }, 'request failed')
    reply.headers(NOSNIFF)
    if (err instanceof CognitoError) {
      if (err.retryAfterSeconds) reply.header('retry-after', err.retryAfterSeconds)
      return reply.code(status).send({ error: err.code, message: err.message })
    }
    if (status >= 500) return reply.code(status).send({ error: 'internal_error', message: 'Internal Server Error' })
    return reply.code(status).send({ error: STATUS_CODES[status] ?? 'bad_request', message: err.message })
  }
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: 'Not Found' }))

  app.register(cors, {
    // A list, not a string: the header is then sent only to that origin, never as a fixed value to everyone.
    origin: [config.FRONTEND_ORIGIN],
    methods: ['GET'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600
  })
  app.register(authPlugin, { verifier, allowedClientIds: config.AUTH0_ALLOWED_CLIENT_IDS?.split(',').map(id => id.trim()) })
  app.register(cognitoPlugin, {
    service: createCognitoService({
      client: cognitoClient,
      userPoolId: config.COGNITO_USER_POOL_ID,
      providerName: config.COGNITO_AUTH0_PROVIDER_NAME,
      log: app.log
    })
  })

  app.register(healthRoutes)
  app.register(async function protectedRoutes (scope) {
    requireAuth(scope)
    await scope.register(meRoutes, { emailClaim: config.AUTH0_EMAIL_CLAIM })
  })

  return app
}
