import t from 'tap'
import { DPOP_ALGORITHMS } from '../../src/auth/dpop.js'
import { dpopClient } from '../../support/dpop-client.js'
import { bearer, setup } from '../helper.js'

const reader = { permissions: ['read:users'] }

t.test('GET /users/:sub with read:users: their federated profile, shaped as /me\'s', async t => {
  const { app, idp, cognito } = await setup(t)
  cognito.users.add('Auth0_auth0|bob')
  const res = await app.inject({ url: '/users/auth0%7Cbob', headers: bearer(idp.signToken(reader)) })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  t.match(res.json(), {
    username: 'Auth0_auth0|bob',
    status: 'EXTERNAL_PROVIDER',
    enabled: true,
    created_at: '2023-11-14T22:13:20.000Z',
    attributes: { email: String, identities: /"userId":"auth0\|bob"/ }
  })
  const me = await app.inject({ url: '/me', headers: bearer(idp.signToken({ ...reader, sub: 'auth0|bob' })) })
  t.same(res.json(), me.json().cognito_result.federated_user, 'the same shape and values as /me gives Bob')
})

t.test('no federated profile: 404 in the app\'s error shape', async t => {
  const { app, idp } = await setup(t)
  const res = await app.inject({ url: '/users/auth0%7Cnobody', headers: bearer(idp.signToken(reader)) })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: 'not_found', message: 'Cognito has no federated profile for this user' })
})

t.test('a look-alike under the federated name is no federated profile: 404, as on /me', async t => {
  const links = JSON.stringify([{ providerName: 'Auth0', userId: 'auth0|mallory', providerType: 'OIDC' }])
  const cases = {
    'self sign-up under the federated name': { UserStatus: 'CONFIRMED' },
    'federated, for another sub': { UserStatus: 'EXTERNAL_PROVIDER', identities: links }
  }
  for (const [name, user] of Object.entries(cases)) {
    const { app, idp, cognito } = await setup(t)
    cognito.lookalikes.set('Auth0_auth0|bob', user)
    const res = await app.inject({ url: '/users/auth0%7Cbob', headers: bearer(idp.signToken(reader)) })
    t.equal(res.statusCode, 404, name)
    t.same(res.json(), { error: 'not_found', message: 'Cognito has no federated profile for this user' }, name)
    t.equal(cognito.calls.AdminGetUser, 1, `${name}: Cognito was asked`)
  }
})

t.test('a sub that is not an Auth0 user id: 400, and Cognito is never asked', async t => {
  const { app, idp, cognito } = await setup(t)
  const headers = bearer(idp.signToken(reader))
  const invalid = ['x'.repeat(129), 'auth0%7Cbob%20smith', 'auth0%7C%2E%2E%2Fadmin%2Fx', '%00', 'a%0Ab', 'b%C3%B6b']
  for (const sub of invalid) {
    const res = await app.inject({ url: `/users/${sub}`, headers })
    t.equal(res.statusCode, 400, sub)
    t.equal(res.json().error, 'bad_request', sub)
  }
  t.notOk(cognito.calls.AdminGetUser, 'no AdminGetUser')
  const longest = await app.inject({ url: `/users/${'x'.repeat(128)}`, headers })
  t.equal(longest.statusCode, 404, '128 characters are fine')
})

t.test('without read:users: 403 insufficient_scope, naming the permission; Cognito is never asked', async t => {
  const { app, idp, cognito } = await setup(t)
  const tokens = {
    'no permissions claim, scope without it': idp.signToken(),
    'an empty permissions claim': idp.signToken({ permissions: [] }),
    'another permission': idp.signToken({ permissions: ['read:user', 'write:users'] }),
    'a prefix of it': idp.signToken({ permissions: ['read'] }),
    'a wildcard': idp.signToken({ permissions: ['read:*', '*'] }),
    'in scope, but a permissions claim without it': idp.signToken({ scope: 'read:users', permissions: [] }),
    'scope with it as part of a word': idp.signToken({ scope: 'openid read:users:all' }),
    'permissions as a string, not a list': idp.signToken({ permissions: 'read:users', scope: 'openid' })
  }
  for (const [name, token] of Object.entries(tokens)) {
    const res = await app.inject({ url: '/users/auth0%7Cbob', headers: bearer(token) })
    t.equal(res.statusCode, 403, name)
    t.equal(res.headers['www-authenticate'], 'Bearer error="insufficient_scope", ' +
      'error_description="This token lacks the permission read:users", scope="read:users"', name)
    t.same(res.json(), { error: 'insufficient_scope', message: 'This token lacks the permission read:users' }, name)
    t.equal(res.headers['cache-control'], 'no-store', name)
  }
  t.notOk(cognito.calls.AdminGetUser, 'no AdminGetUser')
})

t.test('scope counts only with AUTH0_PERMISSIONS_IN_SCOPE=true, and only without a permissions claim', async t => {
  const token = ({ idp }: Awaited<ReturnType<typeof setup>>) => idp.signToken({ scope: 'openid read:users profile' })
  const closed = await setup(t)
  const refused = await closed.app.inject({ url: '/users/auth0%7Cnobody', headers: bearer(token(closed)) })
  t.equal(refused.statusCode, 403, 'by default (RBAC off grants any scope asked for)')
  const open = await setup(t, { AUTH0_PERMISSIONS_IN_SCOPE: 'true' })
  const res = await open.app.inject({ url: '/users/auth0%7Cnobody', headers: bearer(token(open)) })
  t.equal(res.statusCode, 404, 'past the permission check')
})

t.test('401 before 403: no token or a bad one is unauthenticated, whatever the route needs', async t => {
  const { app, idp } = await setup(t)
  const none = await app.inject({ url: '/users/auth0%7Cbob' })
  t.equal(none.statusCode, 401)
  t.equal(none.headers['www-authenticate'], 'Bearer')
  const expired = idp.signToken({ ...reader, iat: 1_700_000_000, exp: 1_700_000_600 })
  const bad = await app.inject({ url: '/users/auth0%7Cbob', headers: bearer(expired) })
  t.equal(bad.statusCode, 401)
  t.match(bad.headers['www-authenticate'], /^Bearer error="invalid_token"/)
  const invalidSub = await app.inject({ url: '/users/%00' })
  t.equal(invalidSub.statusCode, 401, 'validation comes after auth')
})

t.test('a machine token with read:users still gets 403: the route is for people', async t => {
  const { app, idp } = await setup(t)
  const token = idp.signToken({ ...reader, sub: 'client-1@clients', gty: 'client-credentials' })
  const res = await app.inject({ url: '/users/auth0%7Cbob', headers: bearer(token) })
  t.equal(res.statusCode, 403)
  t.equal(res.json().error, 'forbidden')
})

t.test('/me needs no permission', async t => {
  const { app, idp } = await setup(t)
  const res = await app.inject({ url: '/me', headers: bearer(idp.signToken({ permissions: [] })) })
  t.equal(res.statusCode, 200)
})

t.test('a DPoP caller without read:users is answered in its own scheme', async t => {
  const { app, idp } = await setup(t)
  const client = dpopClient()
  const token = idp.signToken({ cnf: { jkt: client.jkt } })
  const proof = client.proof({ htu: 'http://localhost/users/auth0%7Cbob', token })
  const res = await app.inject({ url: '/users/auth0%7Cbob', headers: { authorization: `DPoP ${token}`, dpop: proof } })
  t.equal(res.statusCode, 403)
  t.equal(res.headers['www-authenticate'], 'DPoP error="insufficient_scope", ' +
    'error_description="This token lacks the permission read:users", scope="read:users", ' +
    `algs="${DPOP_ALGORITHMS.join(' ')}"`)
  t.equal(res.json().error, 'insufficient_scope')
})
