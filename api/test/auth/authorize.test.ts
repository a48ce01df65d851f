import type { FastifyRequest } from 'fastify'
import t from 'tap'
import { authorize, type TokenRule } from '../../src/auth/authorize.js'
import type { AuthError } from '../../src/auth/errors.js'
import type { Claims } from '../../src/auth/token-verifier.js'

const request = (scheme = 'Bearer') => ({ headers: { authorization: `${scheme} t` } }) as FastifyRequest
const person: Claims = { sub: 'auth0|alice', permissions: ['read:users'] }
const machine: Claims = { sub: 'svc@clients', gty: 'client-credentials', permissions: ['read:users'] }

/** The code authorize() refuses with, or 'ok'. */
function outcome (claims: Claims, rule: TokenRule, permissionsInScope = false) {
  try {
    authorize(request(), claims, rule, { permissionsInScope })
    return 'ok'
  } catch (err) {
    return (err as AuthError).code
  }
}

t.test('people by default; machines only where a route lets them in', async t => {
  t.equal(outcome(person, true), 'ok')
  t.equal(outcome(machine, true), 'forbidden')
  t.equal(outcome(machine, { permissions: ['read:users'] }), 'forbidden', 'a permission does not make it a person')
  t.equal(outcome(machine, { machines: true, permissions: ['read:users'] }), 'ok')
  t.equal(outcome({ sub: 'auth0|svc', gty: ['client-credentials'] }, true), 'forbidden', 'gty as a list')
  t.equal(outcome({ sub: 'auth0|svc', gty: 'Client-Credentials' }, true), 'forbidden', 'gty in any case')
  t.equal(outcome({ sub: 'svc@CLIENTS' }, true), 'forbidden', 'sub in any case')
})

t.test('every permission asked for, matched exactly, from the permissions claim only', async t => {
  const needs = { permissions: ['read:users'] }
  t.equal(outcome(person, { permissions: ['read:users', 'write:users'] }), 'insufficient_scope')
  t.equal(outcome({ sub: 'auth0|a', permissions: ['read:user'] }, needs), 'insufficient_scope', 'no prefix matching')
  const scoped = { sub: 'auth0|a', scope: 'openid read:users' }
  t.equal(outcome(scoped, needs), 'insufficient_scope', 'scope does not count by default (fails closed)')
  for (const permissions of [null, 'read:users', { 0: 'read:users' }, ['read:users', 1]]) {
    t.equal(outcome({ sub: 'auth0|a', permissions, scope: 'read:users' }, needs, true), 'insufficient_scope',
      `a permissions claim that is not a list of strings grants nothing: ${JSON.stringify(permissions)}`)
  }
})

t.test('AUTH0_PERMISSIONS_IN_SCOPE=true: scope counts when the token has no permissions claim', async t => {
  const needs = { permissions: ['read:users'] }
  t.equal(outcome({ sub: 'auth0|a', scope: 'openid read:users' }, needs, true), 'ok')
  t.equal(outcome({ sub: 'auth0|a', permissions: [], scope: 'read:users' }, needs, true), 'insufficient_scope',
    'a permissions claim, even empty, is the whole answer')
  t.equal(outcome({ sub: 'auth0|a', scope: 'openid' }, needs, true), 'insufficient_scope')
})

t.test('insufficient_scope names the permissions, in the scheme the token came in', async t => {
  const err = (() => {
    try { authorize(request('DPoP'), { sub: 'auth0|a' }, { permissions: ['read:users'] }) } catch (e) { return e }
  })() as AuthError
  t.same({ scope: err.scope, scheme: err.scheme, message: err.message },
    { scope: 'read:users', scheme: 'DPoP', message: 'This token lacks the permission read:users' })
})
