/**
 * API Gateway's IAM authorization on 127.0.0.1, which `sam local start-api` lacks (it logs that such requests
 * will not be authorized): in front of the same Lambda handler (api/dist/lambda.js), it verifies SigV4 as API
 * Gateway does, against the credentials the identity pool stand-in issued, recomputing the signature with the
 * AWS SDK's own signer (@smithy/signature-v4) and comparing in constant time. Refusals are API Gateway's
 * `403 {"message"}`; a verified request reaches the handler as the HTTP API (2.0) event, the caller in
 * `requestContext.authorizer.iam`. It serves template.yaml's AWS_IAM routes and their preflights, nothing else.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'
import type { IssuedCredentials } from './identity-pool.js'

export type LambdaHandler = (event: object, context: object) => Promise<{
  statusCode: number
  headers?: Record<string, string>
  body?: string
  isBase64Encoded?: boolean
}>

export interface IamGatewayOptions {
  port?: number
  host?: string
  region: string
  /** `GET /aws/whoami`, ...: the routes with AWS_IAM authorization. */
  routes: string[]
  handler: LambdaHandler
  credentials: (accessKeyId: string) => IssuedCredentials | undefined
  accountId?: string
  now?: () => Date
}

/** API Gateway's tolerance for the request's date, either way. */
const MAX_SKEW_MS = 5 * 60_000
const AUTH = new RegExp('^AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?' +
  'SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$')

class Refused extends Error {}
const sha256 = Hash.bind(null, 'sha256')

/** `20261202T091500Z` as a Date, or null. */
function amzDate (value: string | undefined) {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value ?? '')
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : null
}

const header = (headers: IncomingHttpHeaders, name: string) => [headers[name] ?? []].flat().join(',')

/** The caller behind a SigV4-signed request, or Refused with API Gateway's message. */
async function authenticate (req: IncomingMessage, url: URL, body: Buffer, options: IamGatewayOptions) {
  const { region, credentials, now = () => new Date() } = options
  const match = AUTH.exec(header(req.headers, 'authorization'))
  if (!match) throw new Refused('Missing Authentication Token')
  const [, accessKeyId, day, scopeRegion, service, signedHeaders, signature] = match as unknown as string[]
  if (service !== 'execute-api') throw new Refused("Credential should be scoped to correct service: 'execute-api'.")
  if (scopeRegion !== region) throw new Refused(`Credential should be scoped to a valid region, not '${scopeRegion}'.`)
  const issued = credentials(accessKeyId!)
  if (!issued) throw new Refused('The security token included in the request is invalid.')
  const date = amzDate(header(req.headers, 'x-amz-date'))
  if (!date || !day || !header(req.headers, 'x-amz-date').startsWith(day)) {
    throw new Refused('Authorization header requires existence of a valid X-Amz-Date header.')
  }
  if (Math.abs(date.getTime() - now().getTime()) > MAX_SKEW_MS) {
    throw new Refused('Signature expired: the request date is more than 5 minutes from the current time.')
  }
  if (issued.expiration.getTime() <= now().getTime()) {
    throw new Refused('The security token included in the request is expired')
  }
  // Temporary credentials: the session token travels in its header and must be theirs (the signer below would
  // put the right one in its own copy of the request and so never notice another).
  const token = Buffer.from(header(req.headers, 'x-amz-security-token'))
  const expectedToken = Buffer.from(issued.sessionToken)
  if (token.length !== expectedToken.length || !timingSafeEqual(token, expectedToken)) {
    throw new Refused('The security token included in the request is invalid.')
  }
  const names = signedHeaders!.split(';')
  if (!names.includes('host')) throw new Refused("'Host' must be a signed header.")
  const query: Record<string, string | string[]> = {}
  for (const [name, value] of url.searchParams) query[name] = name in query ? [query[name]!, value].flat() : value
  const signer = new SignatureV4({
    credentials: issued,
    region,
    service: 'execute-api',
    sha256,
    // The hash is computed from the body, or taken from x-amz-content-sha256 when signed; never added by us.
    applyChecksum: false
  })
  const signed = await signer.sign({
    method: req.method!,
    protocol: 'http:',
    hostname: url.hostname,
    path: url.pathname,
    query,
    headers: Object.fromEntries(names.map(name => [name, header(req.headers, name)])),
    body: body.length ? body : undefined
  }, { signingDate: date, signableHeaders: new Set(names) })
  const expected = Buffer.from(/Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))![1]!)
  if (!timingSafeEqual(expected, Buffer.from(signature!))) {
    throw new Refused('The request signature we calculated does not match the signature you provided.')
  }
  return issued
}

/** The HTTP API (payload 2.0) event API Gateway sends for a request it authorized with IAM. */
function httpApiEvent (req: IncomingMessage, url: URL, body: Buffer, routeKey: string, caller: IssuedCredentials | null,
  accountId: string) {
  const now = new Date()
  const headers = Object.fromEntries(Object.keys(req.headers).map(name => [name, header(req.headers, name)]))
  const query = url.search.slice(1)
  const iam = caller && {
    accessKey: caller.accessKeyId,
    accountId,
    callerId: 'AROALOCAL:CognitoIdentityCredentials',
    cognitoIdentity: { amr: caller.amr, identityId: caller.identityId, identityPoolId: caller.identityPoolId },
    principalOrgId: null,
    userArn: caller.userArn,
    userId: 'AROALOCAL:CognitoIdentityCredentials'
  }
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: query,
    ...(query ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    headers,
    requestContext: {
      accountId,
      apiId: 'local',
      ...(iam ? { authorizer: { iam } } : {}),
      domainName: url.host,
      domainPrefix: url.hostname.split('.')[0],
      http: {
        method: req.method,
        path: decodeURIComponent(url.pathname),
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? ''
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime()
    },
    ...(body.length ? { body: body.toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false })
  }
}

export async function startIamGateway (options: IamGatewayOptions) {
  const { handler, accountId = '000000000000' } = options
  const routes = new Set(options.routes)
  const paths = new Set(options.routes.map(route => route.split(' ')[1]))

  async function handle (req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
    const routeKey = `${req.method} ${url.pathname}`
    const deny = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'apigw-requestid': randomUUID() })
      res.end(JSON.stringify({ message }))
    }
    // Preflights of the IAM routes carry no signature: passed on unauthenticated, as template.yaml routes them.
    const preflight = req.method === 'OPTIONS' && paths.has(url.pathname)
    if (!preflight && !routes.has(routeKey)) return deny(404, 'Not Found')
    let caller: IssuedCredentials | null = null
    if (!preflight) {
      try {
        caller = await authenticate(req, url, body, options)
      } catch (err) {
        if (err instanceof Refused) return deny(403, err.message)
        throw err
      }
    }
    const context = { awsRequestId: randomUUID(), functionName: 'ApiFunction', getRemainingTimeInMillis: () => 15_000 }
    const answer = await handler(httpApiEvent(req, url, body, routeKey, caller, accountId), context)
    res.writeHead(answer.statusCode, answer.headers)
    res.end(answer.body && answer.isBase64Encoded ? Buffer.from(answer.body, 'base64') : answer.body)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: 'Internal Server Error' }))
    })
  })
  await new Promise<void>(resolve => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
