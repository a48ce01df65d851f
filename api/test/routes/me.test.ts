import t from 'tap'
import { createCognitoClient } from '../../src/services/cognito-service.js'
import { POOL_ID } from '../fixtures/cognito-stub.js'
import { startIdentityProvider } from '../fixtures/identity-provider.js'
import { bearer, build, captureLogs, EMAIL_CLAIM, setup, testConfig } from '../helper.js'

t.test('GET /me: the caller, the pool and their federated user', async t => {
  const { app, idp, cognito } = await setup(t)
  cognito.users.add('Auth0_auth0|alice')
  const res = await app.inject({ url: '/me', headers: bearer(idp.signToken({ [EMAIL_CLAIM]: 'alice@example.com' })) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    message: 'Hello, alice@example.com, Cognito call OK',
    auth0_user: { sub: 'auth0|alice', email: 'alice@example.com' },
    cognito_result: {
      user_pool: {
        id: POOL_ID,
        name: 'test-pool',
        arn: `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${POOL_ID}`,
        estimated_users: 1
      },
      federated_user: {
        username: 'Auth0_auth0|alice',
        status: 'EXTERNAL_PROVIDER',
        enabled: true,
        created_at: '2023-11-14T22:13:20.000Z',
        updated_at: '2023-11-14T22:15:00.000Z',
        attributes: {
          email: 'alice@example.com',
          sub: '8f1c2d3e-0000-4000-8000-000000000001',
          identities: JSON.stringify([{
            userId: 'auth0|alice',
            providerName: 'Auth0',
            providerType: 'OIDC',
            issuer: null,
            primary: true,
            dateCreated: 1_700_000_000_000
          }])
        }
      }
    }
  })
})

t.test('a user who never signed in through Cognito: federated_user null, 200', async t => {
  const { app, idp } = await setup(t)
  const res = await app.inject({ url: '/me', headers: bearer(idp.signToken({ sub: 'auth0|bob' })) })
  t.equal(res.statusCode, 200)
  t.equal(res.json().cognito_result.federated_user, null)
  t.same(res.json().auth0_user, { sub: 'auth0|bob', email: null }, 'no email claim: null')
  t.equal(res.json().message, 'Hello, auth0|bob, Cognito call OK')
})

t.test('a look-alike of the federated user is not the caller\'s profile: null, and a warning', async t => {
  const links = (providerName: string, userId: string) =>
    JSON.stringify([{ providerName, userId, providerType: 'OIDC' }])
  const cases = {
    'self sign-up under the federated name': { UserStatus: 'CONFIRMED' },
    'self sign-up that set an identities attribute': {
      UserStatus: 'CONFIRMED',
      identities: links('Auth0', 'auth0|alice')
    },
    'federated, from another provider': { UserStatus: 'EXTERNAL_PROVIDER', identities: links('Google', 'auth0|alice') },
    'federated, for another sub': { UserStatus: 'EXTERNAL_PROVIDER', identities: links('Auth0', 'auth0|mallory') },
    'federated, no identities': { UserStatus: 'EXTERNAL_PROVIDER' },
    'federated, identities not JSON': { UserStatus: 'EXTERNAL_PROVIDER', identities: '[{' },
    'federated, identities not a list': {
      UserStatus: 'EXTERNAL_PROVIDER',
      identities: links('Auth0', 'auth0|alice').slice(1, -1)
    }
  }
  for (const [name, user] of Object.entries(cases)) {
    const { lines, logger } = captureLogs()
    const { app, idp, cognito } = await setup(t, {}, { logger })
    cognito.lookalikes.set('Auth0_auth0|alice', user)
    const res = await app.inject({ url: '/me', headers: bearer(idp.signToken()) })
    t.equal(res.statusCode, 200, name)
    t.equal(res.json().cognito_result.federated_user, null, name)
    const warning = lines.find(line => line.level === 40)
    t.match(warning, { username: 'Auth0_auth0|alice', status: user.UserStatus, msg: /not federated from Auth0/ }, name)
  }
})

t.test('the email comes only from the configured claim', async t => {
  const { app, idp } = await setup(t, { AUTH0_EMAIL_CLAIM: 'https://example.com/email' })
  const claims = { email: 'plain@example.com', 'https://example.com/email': 'ns@example.com' }
  const res = await app.inject({ url: '/me', headers: bearer(idp.signToken(claims)) })
  t.equal(res.json().auth0_user.email, 'ns@example.com')
})

t.test('DescribeUserPool is cached, AdminGetUser is live', async t => {
  const { app, idp, cognito } = await setup(t)
  await Promise.all([1, 2, 3].map(() => app.inject({ url: '/me', headers: bearer(idp.signToken()) })))
  await app.inject({ url: '/me', headers: bearer(idp.signToken()) })
  t.equal(cognito.calls.DescribeUserPool, 1)
  t.equal(cognito.calls.AdminGetUser, 4)
})

t.test('Cognito connections are kept alive between requests', async t => {
  const { app, idp, cognito } = await setup(t)
  for (let i = 0; i < 10; i++) {
    await app.inject({ url: '/me', headers: bearer(idp.signToken({ sub: `auth0|user-${i}` })) })
  }
  t.equal(cognito.calls.AdminGetUser, 10)
  t.ok(cognito.connections <= 2, `${cognito.connections} connections for 11 calls`)
})

t.test('Cognito failures: short JSON errors, no upstream text', async t => {
  const failed = { status: 502, error: 'cognito_failed' } as const
  const cases = [
    { name: 'throttled', operation: 'AdminGetUser', behaviour: 'throttle', status: 503, error: 'cognito_throttled' },
    { name: 'missing pool', operation: 'DescribeUserPool', behaviour: 'missing-pool', ...failed },
    { name: 'bad credentials', operation: 'AdminGetUser', behaviour: 'not-authorized', ...failed },
    { name: '5xx', operation: 'AdminGetUser', behaviour: 'server-error', ...failed },
    { name: 'hangs', operation: 'AdminGetUser', behaviour: 'hang', ...failed }
  ] as const
  for (const c of cases) {
    // The production client with a shorter request timeout than its 2 s: a Cognito that never answers is a 502.
    const client = createCognitoClient('us-east-1', { requestTimeoutMs: 100 })
    t.after(client.destroy)
    const { app, idp, cognito } = await setup(t, {}, { cognitoClient: client })
    cognito.behaviour[c.operation] = c.behaviour
    const res = await app.inject({ url: '/me', headers: bearer(idp.signToken()) })
    t.equal(res.statusCode, c.status, c.name)
    t.equal(res.json().error, c.error, c.name)
    t.same(Object.keys(res.json()), ['error', 'message'], c.name)
    t.notMatch(res.body, /Rate exceeded|secret upstream|does not exist|security token|stack|at /, c.name)
    t.equal(res.headers['retry-after'], c.status === 503 ? '1' : undefined, c.name)
  }
})

t.test('Cognito unreachable (connection refused): 502', async t => {
  const { app, idp, cognito } = await setup(t)
  await cognito.close()
  const res = await app.inject({ url: '/me', headers: bearer(idp.signToken()) })
  t.equal(res.statusCode, 502)
  t.same(res.json(), { error: 'cognito_failed', message: 'Cognito request failed' })
})

t.test('a failed DescribeUserPool is not cached', async t => {
  const { app, idp, cognito } = await setup(t)
  cognito.behaviour.DescribeUserPool = 'server-error'
  t.equal((await app.inject({ url: '/me', headers: bearer(idp.signToken()) })).statusCode, 502)
  cognito.behaviour.DescribeUserPool = 'ok'
  t.equal((await app.inject({ url: '/me', headers: bearer(idp.signToken()) })).statusCode, 200)
})

t.test('AdminGetUser asks for <provider>_<sub> in the configured pool (fake client through deps)', async t => {
  const idp = await startIdentityProvider()
  t.after(() => idp.close())
  const sent: Array<{ name: string, input: unknown }> = []
  const cognitoClient = {
    send: async (command: { constructor: { name: string }, input: unknown }) => {
      sent.push({ name: command.constructor.name, input: command.input })
      if (command.constructor.name === 'DescribeUserPoolCommand') return { UserPool: { Id: POOL_ID, Name: 'fake' } }
      throw Object.assign(new Error('User does not exist.'), {
        name: 'UserNotFoundException',
        $metadata: { requestId: 'r-1' }
      })
    }
  }
  const config = testConfig({ AUTH0_DOMAIN: idp.domain, COGNITO_AUTH0_PROVIDER_NAME: 'MyAuth0' })
  const app = await build(t, { config, deps: { cognitoClient: cognitoClient as never } })
  const res = await app.inject({ url: '/me', headers: bearer(idp.signToken({ sub: 'auth0|zoe' })) })
  t.equal(res.statusCode, 200)
  const adminGetUser = sent.find(c => c.name === 'AdminGetUserCommand')
  t.same(adminGetUser?.input, { UserPoolId: POOL_ID, Username: 'MyAuth0_auth0|zoe' })
  t.same(res.json().cognito_result, {
    user_pool: { id: POOL_ID, name: 'fake', arn: null, estimated_users: null },
    federated_user: null
  })
})
