/**
 * The IAM gateway's SigV4 checks, with requests signed by an independent signer (aws4fetch, not the gateway's
 * @smithy/signature-v4), in front of a handler that records the event it gets. The clock is injected.
 */
import { AwsClient } from 'aws4fetch'
import t from 'tap'
import type { IssuedCredentials } from '../src/aws/identity-pool.js'
import { startIamGateway } from '../src/aws/iam-gateway.js'

const NOW = new Date('2026-12-02T09:00:00Z')
const stamp = (date: Date) => date.toISOString().replace(/[-:]|\.\d{3}/g, '')
const issued = (accessKeyId: string, expiration: Date): IssuedCredentials => ({
  accessKeyId,
  secretAccessKey: `secret-of-${accessKeyId}`,
  sessionToken: `token-of-${accessKeyId}`,
  expiration,
  identityId: 'us-east-1:3f6c2a4e-8d1b-4c5a-9e7f-0a1b2c3d4e5f',
  identityPoolId: 'us-east-1:0c6f3a2e-5b1d-4e8f-9a7c-1d2e3f4a5b6c',
  userArn: 'arn:aws:sts::000000000000:assumed-role/local-reader/CognitoIdentityCredentials',
  amr: ['authenticated', 'localhost:4000', 'localhost:4000:auth0|alice']
})
const VALID = issued('ASIAVALID0000000000', new Date(NOW.getTime() + 3600_000))
const EXPIRED = issued('ASIAEXPIRED00000000', new Date(NOW.getTime() - 1000))
const known = new Map([VALID, EXPIRED].map(c => [c.accessKeyId, c]))

const events: any[] = []
const gateway = await startIamGateway({
  region: 'us-east-1',
  routes: ['GET /aws/whoami', 'GET /aws/other'],
  credentials: id => known.get(id),
  now: () => NOW,
  handler: async event => {
    events.push(event)
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }
  }
})
t.teardown(gateway.close)

interface Signing {
  credentials?: IssuedCredentials
  secret?: string
  service?: string
  region?: string
  date?: Date
  headers?: Record<string, string>
  path?: string
}
/** A request signed by aws4fetch for `path` (default /aws/whoami), as the SPA signs it. */
async function signed ({
  credentials = VALID, secret, service = 'execute-api', region = 'us-east-1', date = NOW,
  headers = {}, path = '/aws/whoami'
}: Signing = {}) {
  const signer = new AwsClient({
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: secret ?? credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    service,
    region
  })
  const request = await signer.sign(`${gateway.url}${path}`, { headers, aws: { datetime: stamp(date) } })
  return Object.fromEntries(request.headers)
}
const changed = (name: string, value: string) => (headers: Record<string, string>) => ({ ...headers, [name]: value })
const send = async (path: string, headers: Record<string, string>) => {
  const res = await fetch(`${gateway.url}${path}`, { headers })
  return { status: res.status, body: await res.json() }
}

t.test('a valid signature reaches the handler as HTTP API\'s event, the caller in authorizer.iam', async t => {
  events.length = 0
  const res = await send('/aws/whoami?x=1', await signed({ path: '/aws/whoami?x=1' }))
  t.same(res, { status: 200, body: { ok: true } })
  t.equal(events.length, 1)
  t.match(events[0], {
    version: '2.0',
    routeKey: 'GET /aws/whoami',
    rawPath: '/aws/whoami',
    rawQueryString: 'x=1',
    requestContext: {
      http: { method: 'GET', path: '/aws/whoami' },
      stage: '$default',
      authorizer: {
        iam: {
          accessKey: VALID.accessKeyId,
          userArn: VALID.userArn,
          cognitoIdentity: { identityId: VALID.identityId, identityPoolId: VALID.identityPoolId, amr: VALID.amr }
        }
      }
    }
  })
})

t.test('every refusal is API Gateway\'s 403 {"message"}, and the handler never runs', async t => {
  const W = '/aws/whoami'
  const late = new Date(NOW.getTime() - 6 * 60_000)
  const early = new Date(NOW.getTime() + 6 * 60_000)
  const cases: Record<string, [path: string, headers: Promise<Record<string, string>> | Record<string, string>]> = {
    'no signature': ['/aws/whoami', {}],
    'unknown access key': ['/aws/whoami', signed({ credentials: issued('ASIAUNKNOWN00000000', VALID.expiration) })],
    'wrong secret': ['/aws/whoami', signed({ secret: 'guessed' })],
    'expired credentials': ['/aws/whoami', signed({ credentials: EXPIRED })],
    'dated 6 minutes ago': ['/aws/whoami', signed({ date: late })],
    'dated 6 minutes ahead': ['/aws/whoami', signed({ date: early })],
    'another service': ['/aws/whoami', signed({ service: 's3' })],
    'another region': ['/aws/whoami', signed({ region: 'eu-west-1' })],
    'another path': ['/aws/whoami', signed({ path: '/aws/other' })],
    'another query': ['/aws/whoami?x=2', signed({ path: '/aws/whoami?x=1' })],
    'a signed header changed': [W, signed({ headers: { 'x-note': 'a' } }).then(changed('x-note', 'b'))],
    'another session token': ['/aws/whoami', signed().then(changed('x-amz-security-token', 'forged'))],
    'the date changed': [W, signed().then(changed('x-amz-date', stamp(new Date(NOW.getTime() + 1000))))]
  }
  events.length = 0
  for (const [name, [path, headers]] of Object.entries(cases)) {
    const res = await send(path, await headers)
    t.equal(res.status, 403, name)
    t.same(Object.keys(res.body), ['message'], name)
  }
  t.equal(events.length, 0)
})

t.test('other routes: 404 as API Gateway answers; the IAM route\'s preflight passes unsigned', async t => {
  t.same(await send('/me', await signed({ path: '/me' })), { status: 404, body: { message: 'Not Found' } })
  events.length = 0
  const res = await fetch(`${gateway.url}/aws/whoami`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' }
  })
  t.equal(res.status, 200)
  t.equal(events[0].routeKey, 'OPTIONS /aws/whoami')
  t.notOk('authorizer' in events[0].requestContext, 'no caller on a preflight')
})
