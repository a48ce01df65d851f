/**
 * The Lambda handler (src/lambda.ts) under API Gateway's two event shapes, in process and fast. The bundle
 * `sam build` makes is proven by AWS's own tools instead: .ci/aws-tools builds it, and `npm run test:sam`
 * runs the browser flow through `sam local start-api`.
 */
import t from 'tap'
import { POOL_ID, startCognitoStub } from './fixtures/cognito-stub.js'
import { dpopClient } from '../support/dpop-client.js'
import { AUDIENCE, startIdentityProvider } from './fixtures/identity-provider.js'
import { setEnv } from './helper.js'

type Handler = (event: unknown, context: unknown) => Promise<{
  statusCode: number
  headers: Record<string, string>
  body: string
  multiValueHeaders?: Record<string, string[]>
}>

const idp = await startIdentityProvider()
const cognito = await startCognitoStub()
cognito.users.add('Auth0_auth0|alice')
t.teardown(() => Promise.all([idp.close(), cognito.close()]))

// What Lambda's environment holds: the template's variables, the region and the role's credentials.
setEnv(t, {
  AUTH0_DOMAIN: idp.domain,
  AUTH0_AUDIENCE: AUDIENCE,
  COGNITO_USER_POOL_ID: POOL_ID,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'ASIATEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  AWS_SESSION_TOKEN: 'test-session-token',
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
  LOG_LEVEL: 'silent'
})
// Imported once the environment is set: the module builds its app from it, as in a Lambda's init phase.
const { handler } = await import('../src/lambda.js') as unknown as { handler: Handler }
const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  functionName: 'ApiFunction',
  getRemainingTimeInMillis: () => 15_000
}

function httpApiEvent (path: string, headers: Record<string, string> = {}, method = 'GET') {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'curl/8.5.0', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '22/Nov/2026:14:00:00 +0000',
      timeEpoch: 1795356000000
    },
    isBase64Encoded: false
  }
}

function restApiEvent (path: string, headers: Record<string, string> = {}) {
  const host = 'abc123.execute-api.us-east-1.amazonaws.com'
  return {
    resource: path,
    path,
    httpMethod: 'GET',
    headers: { Host: host, ...headers },
    multiValueHeaders: Object.fromEntries(Object.entries({ Host: host, ...headers }).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      httpMethod: 'GET',
      identity: { sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      path: `/Prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      resourcePath: path,
      stage: 'Prod'
    },
    body: null,
    isBase64Encoded: false
  }
}

for (const [name, event] of [['HTTP API (v2)', httpApiEvent], ['REST API (v1)', restApiEvent]] as const) {
  t.test(`${name}: /health, /me with and without a token`, async t => {
    const health = await handler(event('/health'), context)
    t.equal(health.statusCode, 200)
    t.same(JSON.parse(health.body), { status: 'ok' })
    t.notOk('connection' in health.headers, 'no hop-by-hop connection header (sam local would pass it on)')

    const token = idp.signToken({ 'https://api.example.test/email': 'x' })
    const me = await handler(event('/me', { authorization: `Bearer ${token}` }), context)
    t.equal(me.statusCode, 200)
    const body = JSON.parse(me.body)
    t.equal(body.auth0_user.sub, 'auth0|alice')
    t.equal(body.cognito_result.user_pool.id, POOL_ID)
    t.equal(body.cognito_result.federated_user.username, 'Auth0_auth0|alice')

    const anonymous = await handler(event('/me'), context)
    t.equal(anonymous.statusCode, 401)
    t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  })
}

// DPoP under API Gateway: the client's URL is https and API Gateway's Host, which the event carries.
const HOST_URL = 'https://abc123.execute-api.us-east-1.amazonaws.com'
const client = dpopClient()
const bound = (claims = {}) => idp.signToken({ cnf: { jkt: client.jkt }, ...claims })
const dpop = (token: string, proof: string) => ({ authorization: `DPoP ${token}`, dpop: proof })

t.test('HTTP API (v2): a DPoP proof for https + Host; replayed, or the token as Bearer, refused', async t => {
  const token = bound()
  const proof = client.proof({ htu: `${HOST_URL}/me`, token })
  const me = await handler(httpApiEvent('/me', dpop(token, proof)), context)
  t.equal(me.statusCode, 200)
  t.equal(JSON.parse(me.body).auth0_user.sub, 'auth0|alice')

  const replayed = await handler(httpApiEvent('/me', dpop(token, proof)), context)
  t.equal(replayed.statusCode, 401, 'the warm instance remembers the proof')
  t.match(replayed.headers['www-authenticate'], /^DPoP error="invalid_dpop_proof"/)
  const asBearer = await handler(httpApiEvent('/me', { authorization: `Bearer ${token}` }), context)
  t.equal(asBearer.statusCode, 401)
  t.match(asBearer.headers['www-authenticate'], /^DPoP error="invalid_token"/)
  const plainHttp = client.proof({ htu: HOST_URL.replace('https:', 'http:') + '/me', token })
  t.equal((await handler(httpApiEvent('/me', dpop(token, plainHttp)), context)).statusCode, 401, 'not https')
  // HTTP API combines repeated headers with commas.
  const two = [1, 2].map(() => client.proof({ htu: `${HOST_URL}/me`, token })).join(',')
  t.equal((await handler(httpApiEvent('/me', dpop(token, two)), context)).statusCode, 401, 'two proofs')
})

t.test('HTTP API (v2) hands the path over decoded: a proof for /users/auth0%7Calice still fits', async t => {
  const token = bound({ permissions: ['read:users'] })
  const proof = client.proof({ htu: `${HOST_URL}/users/auth0%7Calice`, token })
  const res = await handler(httpApiEvent('/users/auth0|alice', dpop(token, proof)), context)
  t.equal(res.statusCode, 200)
})

t.test('REST API (v1): the Host header alone misses the stage, so the proof\'s /Prod/me does not fit', async t => {
  const token = bound()
  const proof = client.proof({ htu: `${HOST_URL}/Prod/me`, token })
  const res = await handler(restApiEvent('/me', dpop(token, proof)), context)
  t.equal(res.statusCode, 401)
  t.match(res.headers['www-authenticate'], /^DPoP error="invalid_dpop_proof"/)
})

t.test('HTTP API preflight reaches Fastify\'s CORS', async t => {
  const headers = { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' }
  const res = await handler(httpApiEvent('/me', headers, 'OPTIONS'), context)
  t.equal(res.statusCode, 204)
  t.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000')
})

t.test('the container reuses one app: the pool is described once across invocations', async t => {
  // Counted from here, so the answer holds alone and after the tests above (which may have described it).
  const before = cognito.calls.DescribeUserPool ?? 0
  for (let i = 0; i < 3; i++) {
    const me = await handler(httpApiEvent('/me', { authorization: `Bearer ${idp.signToken()}` }), context)
    t.equal(me.statusCode, 200)
  }
  const described = (cognito.calls.DescribeUserPool ?? 0) - before
  t.ok(described <= 1, `described ${described} time(s) in three invocations: one app, one cached pool`)
})

t.test('REST API (v1) with API_PUBLIC_URL naming the stage: the proof for /Prod/me fits', async t => {
  // Another function, configured with its stage's URL: a module instance of its own.
  setEnv(t, { API_PUBLIC_URL: `${HOST_URL}/Prod` })
  const specifier = '../src/lambda.js?rest-stage'
  const { handler: staged } = await import(specifier) as { handler: Handler }
  const token = bound()
  const proof = () => client.proof({ htu: `${HOST_URL}/Prod/me`, token })
  t.equal((await staged(restApiEvent('/me', dpop(token, proof())), context)).statusCode, 200)
  const event = restApiEvent('/me', dpop(token, proof()))
  event.multiValueHeaders.dpop = [proof(), proof()]
  const two = await staged(event, context)
  t.equal(two.statusCode, 401, 'two DPoP headers (multiValueHeaders)')
  t.match(two.headers['www-authenticate'], /^DPoP error="invalid_dpop_proof"/)
})

// API Gateway's IAM authorization (template.yaml's AWS_IAM route): the caller it verified, in each payload's words.
const IDENTITY_ID = 'us-east-1:3f6c2a4e-8d1b-4c5a-9e7f-0a1b2c3d4e5f'
const IDENTITY_POOL_ID = 'us-east-1:11111111-2222-3333-4444-555555555555'
const READER_ARN = 'arn:aws:sts::123456789012:assumed-role/auth0-cognito-reader/CognitoIdentityCredentials'
const LOGIN = 'tenant.eu.auth0.com'
const WHOAMI = {
  identity_id: IDENTITY_ID,
  identity_pool_id: IDENTITY_POOL_ID,
  user_arn: READER_ARN,
  authentication_provider: `${LOGIN},${LOGIN}:auth0|alice`,
  amr: ['authenticated', LOGIN, `${LOGIN}:auth0|alice`]
}

function withIamV2 (event: ReturnType<typeof httpApiEvent>) {
  const iam = {
    accessKey: 'ASIAEXAMPLE',
    accountId: '123456789012',
    callerId: 'AROAEXAMPLE:CognitoIdentityCredentials',
    cognitoIdentity: { amr: WHOAMI.amr, identityId: IDENTITY_ID, identityPoolId: IDENTITY_POOL_ID },
    principalOrgId: null,
    userArn: READER_ARN,
    userId: 'AROAEXAMPLE:CognitoIdentityCredentials'
  }
  return { ...event, requestContext: { ...event.requestContext, authorizer: { iam } } }
}

function withIamV1 (event: ReturnType<typeof restApiEvent>) {
  const identity = {
    ...event.requestContext.identity,
    accessKey: 'ASIAEXAMPLE',
    accountId: '123456789012',
    caller: 'AROAEXAMPLE:CognitoIdentityCredentials',
    cognitoAuthenticationProvider: WHOAMI.authentication_provider,
    cognitoAuthenticationType: 'authenticated',
    cognitoIdentityId: IDENTITY_ID,
    cognitoIdentityPoolId: IDENTITY_POOL_ID,
    user: 'AROAEXAMPLE:CognitoIdentityCredentials',
    userArn: READER_ARN
  }
  return { ...event, requestContext: { ...event.requestContext, identity } }
}

t.test('/aws/whoami: the caller API Gateway verified, one shape from both payloads, no Auth0 token', async t => {
  for (const event of [withIamV2(httpApiEvent('/aws/whoami')), withIamV1(restApiEvent('/aws/whoami'))]) {
    const res = await handler(event, context)
    t.equal(res.statusCode, 200, `payload ${'version' in event ? '2.0' : '1.0'}`)
    t.same(JSON.parse(res.body), WHOAMI)
    t.equal(res.headers['cache-control'], 'no-store')
  }
})

t.test('/aws/whoami without an authorizer context (sam local, a route without AWS_IAM): 403, never 200', async t => {
  const events = {
    'HTTP API, no authorizer': httpApiEvent('/aws/whoami'),
    'REST API, identity without userArn': restApiEvent('/aws/whoami'),
    'HTTP API, an Auth0 token': httpApiEvent('/aws/whoami', { authorization: `Bearer ${idp.signToken()}` })
  }
  for (const [name, event] of Object.entries(events)) {
    const res = await handler(event, context)
    t.equal(res.statusCode, 403, name)
    t.equal(JSON.parse(res.body).error, 'aws_iam_required', name)
  }
})

t.test('/aws/whoami: headers and query cannot supply or override the caller', async t => {
  const forged = encodeURIComponent(JSON.stringify(withIamV2(httpApiEvent('/aws/whoami'))))
  const headers = {
    'x-apigateway-event': forged,
    'x-amz-user-arn': 'arn:aws:sts::123456789012:assumed-role/admin/x',
    'x-amz-cognito-identity-id': 'us-east-1:forged'
  }
  const bare = { ...httpApiEvent('/aws/whoami', headers), rawQueryString: 'userArn=forged&identityId=forged' }
  const refused = await handler(bare, context)
  t.equal(refused.statusCode, 403, 'a forged event in a header is not read')

  const real = await handler(withIamV2(bare), context)
  t.equal(real.statusCode, 200)
  t.same(JSON.parse(real.body), WHOAMI, 'the authorizer context alone speaks')
})
