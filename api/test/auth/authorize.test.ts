import type { FastifyRequest } from 'fastify'
import t from 'tap'
import { authorize, type TokenRule } from '../../src/auth/authorize.js'
import type { AuthError } from '../../src/auth/errors.js'
import type { Claims } from '../../src/auth/token-verifier.js'

const request = (scheme = 'Bearer') => ({ headers: { authorization: `${scheme} t` } }) as FastifyRequest
const person: Claims = { sub: 'auth0|alice', permissions: ['read:users'] }
const machine: Claims = { sub: 'svc@clients', gty: 'client-credentials', permissions: ['read:users'] }

/** The code authorize() refuses with, or 'ok'. */
function outcome (claims: Claims, rule: TokenRule, scheme?: string) {
  try {
    authorize(request(scheme), claims, rule)
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
})

t.test('every permission asked for, matched exactly; scope only without a permissions claim', async t => {
  t.equal(outcome(person, { permissions: ['read:users', 'write:users'] }), 'insufficient_scope')
  const prefix = { sub: 'auth0|a', permissions: ['read:user'] }
  t.equal(outcome(prefix, { permissions: ['read:users'] }), 'insufficient_scope', 'no prefix matching')
  t.equal(outcome({ sub: 'auth0|a', scope: 'openid read:users' }, { permissions: ['read:users'] }), 'ok')
  t.equal(outcome({ sub: 'auth0|a', permissions: [], scope: 'read:users' }, { permissions: ['read:users'] }),
    'insufficient_scope', 'an empty permissions claim is not replaced by scope')
})

t.test('insufficient_scope names the permissions, in the scheme the token came in', async t => {
  const err = (() => {
    try { authorize(request('DPoP'), { sub: 'auth0|a' }, { permissions: ['read:users'] }) } catch (e) { return e }
  })() as AuthError
  t.same({ scope: err.scope, scheme: err.scheme, message: err.message },
    { scope: 'read:users', scheme: 'DPoP', message: 'This token lacks the permission read:users' })
})
