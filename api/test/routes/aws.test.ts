/**
 * `/aws/whoami` in server mode (the HTTP server, `inject`): nothing in front verified a SigV4 signature, so it
 * never answers 200, whatever the client sends. Under Lambda, with API Gateway's authorizer context:
 * test/lambda.test.ts.
 */
import t from 'tap'
import { ANSWERS } from '../../src/errors.js'
import { bearer, build } from '../helper.js'

const REFUSED = { error: 'aws_iam_required', message: ANSWERS.aws_iam_required.message }

/** What @fastify/aws-lambda once read from headers (GHSA-m93c-jj3f-68ph): an event naming an IAM caller. */
const fakeEvent = encodeURIComponent(JSON.stringify({
  version: '2.0',
  requestContext: { authorizer: { iam: { userArn: 'arn:aws:sts::1:assumed-role/reader/x' } } }
}))

t.test('server mode: 403 aws_iam_required, never cached, whatever the client claims', async t => {
  const app = await build(t)
  const attempts = {
    'no credentials': {},
    'a SigV4-looking Authorization': { authorization: 'AWS4-HMAC-SHA256 Credential=ASIA/x, Signature=00' },
    'an Auth0 bearer token (not what this route takes)': bearer('any'),
    'an API Gateway event in a header': { 'x-apigateway-event': fakeEvent },
    'identity headers': { 'x-amz-user-arn': 'arn:aws:sts::1:assumed-role/reader/x', 'x-amz-cognito-identity-id': 'x' }
  }
  for (const [name, headers] of Object.entries(attempts)) {
    const res = await app.inject({ url: '/aws/whoami?userArn=arn:aws:sts::1:assumed-role/reader/x', headers })
    t.equal(res.statusCode, 403, name)
    t.same(res.json(), REFUSED, name)
    t.equal(res.headers['cache-control'], 'no-store', name)
  }
})

t.test('CORS: the SPA may send what SigV4 signs', async t => {
  const app = await build(t)
  const res = await app.inject({
    method: 'OPTIONS',
    url: '/aws/whoami',
    headers: {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization,x-amz-date,x-amz-security-token,x-amz-content-sha256'
    }
  })
  t.equal(res.statusCode, 204)
  const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(/, */)
  for (const name of ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']) {
    t.ok(allowed.includes(name), name)
  }
})
