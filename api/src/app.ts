import type { Socket } from 'node:net'
import cors from '@fastify/cors'
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions
} from 'fastify'
import authPlugin from './auth/plugin.js'
import type { Config } from './config.js'
import { handleError } from './error-handler.js'
import { ApiError, codeForStatus, STATUS_CODES } from './errors.js'
import cognitoPlugin from './plugins/cognito.js'
import type { ReplayStore } from './replay/index.js'
import { routes } from './routes/index.js'
import { schemaCompilers } from './schema-compilers.js'
import type { CognitoClient } from './services/cognito-service.js'

export interface Deps {
  logger: FastifyServerOptions['logger']
  cognitoClient: CognitoClient
  /** The DPoP replay memory, instead of the one config names (tests share one between two apps). */
  replayStore: ReplayStore
  /** Shorter server timeouts, for a test that waits for them on a real socket. */
  timeouts: Partial<typeof SERVER_TIMEOUTS>
}

/**
 * How long the HTTP server (server.ts) gives a client, in milliseconds. Fastify's defaults turn Node's
 * request timeout off, so a client sending a body one byte at a time kept its socket for minutes: here the
 * whole request (headers and body: this API takes no real body) must arrive within 10 s, its headers
 * within 5 s, and Node checks every second rather than every 30. An idle socket goes after 30 s (a /me waits
 * at most ~4 s on Cognito) and an idle keep-alive connection after 5 s, Node's own default: nothing sits in
 * front of the server that keeps connections longer (under Lambda, API Gateway owns the sockets).
 */
export const SERVER_TIMEOUTS = {
  requestTimeout: 10_000,
  headersTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
  connectionTimeout: 30_000,
  keepAliveTimeout: 5_000
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

/**
 * pino JSON on stdout; a token, DPoP proof or AWS session token (SigV4 calls to /aws/whoami) that ends up in a
 * logged object is censored.
 */
export function loggerOptions (config: Pick<Config, 'LOG_LEVEL'>) {
  return {
    level: config.LOG_LEVEL,
    redact: {
      paths: ['authorization', 'dpop', 'x-amz-security-token'].flatMap(name =>
        ['req.headers', 'headers', 'request.headers'].map(parent => `${parent}["${name}"]`)),
      censor: '[redacted]'
    }
  }
}

/** Builds the whole API from its config. The HTTP server, the Lambda handler and the tests all call this. */
export function buildApp (config: Config, deps: Partial<Deps> = {}): FastifyInstance {
  const accessLog = new AccessLog()
  const { requestTimeout, headersTimeout, connectionsCheckingInterval, connectionTimeout, keepAliveTimeout } =
    { ...SERVER_TIMEOUTS, ...deps.timeouts }
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config),
    requestTimeout,
    connectionTimeout,
    keepAliveTimeout,
    // Node's own options (Fastify passes them to http.createServer), which must agree with requestTimeout.
    http: { requestTimeout, headersTimeout, connectionsCheckingInterval },
    logController: accessLog,
    schemaController: { compilersFactory: schemaCompilers },
    // Room for /users/:sub's longest sub (128 characters, each percent-encoded at worst): the route answers a
    // longer one with its own 400. Beyond this, the router answers 414.
    routerOptions: { maxParamLength: 3 * 128 },
    // Errors Fastify meets before routing (a malformed URL, ...): the same handler and access log as the rest,
    // and the header the onRequest hook below gives every routed request.
    frameworkErrors (err, request, reply) {
      reply.headers(NOSNIFF)
      reply.raw.once('finish', () => accessLog.requestCompleted(null, request, reply))
      return handleError(err, request, reply)
    },
    // A request Node's HTTP parser rejects never becomes a request object: answer it in the same vocabulary.
    clientErrorHandler (err: NodeJS.ErrnoException, socket: Socket) {
      app.log.info({ err: { code: err.code } }, 'client error')
      if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return socket.destroy()
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
      const body = JSON.stringify({ error: codeForStatus(status), message: STATUS_CODES[status] })
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' + body)
    }
  })
  app.addHook('onRequest', async (request, reply) => { reply.headers(NOSNIFF) })
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(async () => { throw new ApiError('not_found') })

  // Before auth: the onRoute hook of auth asks every route added after it what it needs, and cors' preflight
  // route (OPTIONS *) is public by nature.
  app.register(cors, {
    // A list, not a string: the header is then sent only to that origin, never as a fixed value to everyone.
    origin: [config.FRONTEND_ORIGIN],
    methods: ['GET'],
    // With SigV4 (/aws/whoami, signed by the SPA with its identity pool credentials): the date, the session token
    // and the payload hash it signs next to Authorization.
    allowedHeaders: [
      'Authorization', 'Content-Type', 'DPoP', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256'
    ],
    // The SPA reads the challenge of a 401 (a DPoP client tells a bad proof from a bad token: RFC 9449 §7.1).
    exposedHeaders: ['WWW-Authenticate'],
    maxAge: 600,
    // An OPTIONS that is not a preflight (no Origin or no Access-Control-Request-Method) gets the same empty 204:
    // the strict default answers it with a text/plain 400 that never reaches the app's error handler.
    strictPreflight: false
  })
  app.register(authPlugin, {
    issuer: config.issuer,
    audience: config.AUTH0_AUDIENCE,
    jwksUri: config.AUTH0_JWKS_URI,
    allowedClientIds: config.allowedClientIds,
    dpopMode: config.DPOP_MODE,
    publicUrl: config.publicUrl,
    permissionsInScope: config.AUTH0_PERMISSIONS_IN_SCOPE === 'true',
    replay: { tableName: config.DPOP_REPLAY_TABLE, region: config.AWS_REGION },
    replayStore: deps.replayStore
  })
  app.register(cognitoPlugin, {
    region: config.AWS_REGION,
    userPoolId: config.COGNITO_USER_POOL_ID,
    providerName: config.COGNITO_AUTH0_PROVIDER_NAME,
    client: deps.cognitoClient
  })

  for (const route of routes) app.register(route, { config })

  return app
}
