import t from 'tap'
import { DPOP_ALGORITHMS } from '../../src/auth/dpop.js'
import { AuthError, challengeFor } from '../../src/auth/errors.js'

const ALGS = `algs="${DPOP_ALGORITHMS.join(' ')}"`

t.test('the challenge names the body\'s error, in the client\'s scheme; none for forbidden', async t => {
  const cases: Array<[string, AuthError, string | undefined]> = [
    ['no credentials', new AuthError('unauthorized', 'NO_TOKEN'), 'Bearer'],
    ['no credentials, DPoP', new AuthError('unauthorized', 'NO_TOKEN', { scheme: 'DPoP' }), `DPoP ${ALGS}`],
    ['a bad token', new AuthError('invalid_token', 'FAST_JWT_EXPIRED'),
      'Bearer error="invalid_token", error_description="Invalid access token"'],
    ['a bad proof', new AuthError('invalid_dpop_proof', 'JTI_REPLAYED', { scheme: 'DPoP' }),
      `DPoP error="invalid_dpop_proof", error_description="Invalid DPoP proof", ${ALGS}`],
    ['a missing permission', new AuthError('insufficient_scope', 'MISSING_PERMISSION',
      { message: 'This token lacks the permission read:users', scope: 'read:users' }),
    'Bearer error="insufficient_scope", error_description="This token lacks the permission read:users", ' +
      'scope="read:users"'],
    ['a token the route refuses', new AuthError('forbidden', 'MACHINE_TOKEN'), undefined]
  ]
  for (const [name, err, challenge] of cases) t.equal(challengeFor(err), challenge, name)
})

t.test('an AuthError knows no HTTP: a code, a reason for the logs, the message to show', async t => {
  const err = new AuthError('invalid_token', 'FAST_JWT_EXPIRED')
  t.same({ code: err.code, reason: err.reason, message: err.message, scheme: err.scheme },
    { code: 'invalid_token', reason: 'FAST_JWT_EXPIRED', message: 'Invalid access token', scheme: 'Bearer' })
  t.notOk('statusCode' in err)
})
