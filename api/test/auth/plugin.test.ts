import Fastify from 'fastify'
import t from 'tap'
import authPlugin from '../../src/auth/plugin.js'
import { handleError } from '../../src/error-handler.js'
import { AUDIENCE, startIdentityProvider } from '../fixtures/identity-provider.js'
import { bearer, setup } from '../helper.js'

t.test('auth runs before schema validation: an anonymous caller never sees a 400', async t => {
  const idp = await startIdentityProvider()
  const app = Fastify().setErrorHandler(handleError)
  t.after(async () => { await app.close(); await idp.close() })
  await app.register(authPlugin, { issuer: idp.issuer, audience: AUDIENCE })
  const body = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }
  app.post('/things', { config: { auth: true }, schema: { body } }, async () => ({ ok: true }))
  const anonymous = await app.inject({ method: 'POST', url: '/things', payload: { wrong: 1 } })
  t.equal(anonymous.statusCode, 401)
  t.notMatch(anonymous.body, /name/)

  const signedIn = { authorization: `Bearer ${idp.signToken()}` }
  const invalid = await app.inject({ method: 'POST', url: '/things', payload: { wrong: 1 }, headers: signedIn })
  t.equal(invalid.statusCode, 400, 'validation still applies once authenticated')
  t.match(invalid.json().message, /name/)
  const valid = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x' }, headers: signedIn })
  t.same(valid.json(), { ok: true })
})

t.test('machine-to-machine tokens are not users: 403 on /me', async t => {
  const { app, idp, cognito } = await setup(t)
  const machine = {
    'gty client-credentials': idp.signToken({
      gty: 'client-credentials',
      sub: 'svc-client@clients',
      azp: 'svc-client'
    }),
    'sub <client>@clients': idp.signToken({ sub: 'svc-client@clients', azp: 'svc-client' }),
    'gty client-credentials, a user-like sub': idp.signToken({ gty: 'client-credentials', sub: 'auth0|svc' }),
    'gty as a list': idp.signToken({ gty: ['client-credentials'], sub: 'auth0|svc' })
  }
  for (const [name, token] of Object.entries(machine)) {
    const res = await app.inject({ url: '/me', headers: bearer(token) })
    t.equal(res.statusCode, 403, name)
    t.same(res.json(), { error: 'forbidden', message: 'This route is for users, not machine-to-machine tokens' }, name)
    t.equal(res.headers['cache-control'], 'no-store', name)
  }
  t.equal(cognito.calls.AdminGetUser, undefined, 'Cognito was not asked')
  const person = await app.inject({ url: '/me', headers: bearer(idp.signToken({ gty: 'password', azp: 'spa' })) })
  t.equal(person.statusCode, 200, 'another grant type is a person')
  const listed = await app.inject({ url: '/me', headers: bearer(idp.signToken({ gty: ['password'], azp: 'spa' })) })
  t.equal(listed.statusCode, 200, 'and so is another grant type in a list')
})

t.test('routes declare what they need: one that says nothing stops the app at boot', async t => {
  const app = Fastify()
  t.after(() => app.close())
  await app.register(authPlugin, { issuer: 'http://127.0.0.1:9/', audience: AUDIENCE })
  t.throws(() => app.get('/forgot', async () => ({ secret: true })),
    /GET \/forgot declares no auth: set config.auth \(false for a public route\)/)
})

t.test('a route\'s own rule: public, people, machines, permissions; HEAD follows its GET', async t => {
  const idp = await startIdentityProvider()
  const app = Fastify().setErrorHandler(handleError)
  t.after(async () => { await app.close(); await idp.close() })
  await app.register(authPlugin, { issuer: idp.issuer, audience: AUDIENCE })
  const handler = async () => ({ ok: true })
  app.get('/open', { config: { auth: false } }, handler)
  app.get('/people', { config: { auth: true } }, handler)
  app.get('/service', { config: { auth: { machines: true, permissions: ['run:jobs'] } } }, handler)
  const machine = idp.signToken({ gty: 'client-credentials', sub: 'svc@clients', permissions: ['run:jobs'] })
  const cases: Array<[string, string | undefined, number]> = [
    ['/open', undefined, 200],
    ['/people', undefined, 401],
    ['/people', idp.signToken(), 200],
    ['/people', machine, 403],
    ['/service', idp.signToken({ permissions: [] }), 403],
    ['/service', machine, 200]
  ]
  for (const [url, token, status] of cases) {
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await app.inject({ method, url, headers: token ? bearer(token) : {} })
      t.equal(res.statusCode, status, `${method} ${url} ${token ? 'with a token' : 'anonymous'}`)
      t.equal(res.headers['cache-control'], url === '/open' ? undefined : 'no-store', `${method} ${url} cache-control`)
    }
  }
})
