import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { AuthError } from '../src/auth/errors.js'
import { handleError } from '../src/error-handler.js'
import { ANSWERS, ApiError } from '../src/errors.js'

/** A bare app whose one route throws the given error, answered by the app's handler. */
async function answer (t: Test, err: Error) {
  const app = Fastify().setErrorHandler(handleError)
  app.get('/', async () => { throw err })
  t.after(() => app.close())
  return app.inject({ url: '/' })
}

t.test('every code is answered with its status and message, in { error, message }', async t => {
  for (const [code, { status, message }] of Object.entries(ANSWERS)) {
    const res = await answer(t, new ApiError(code as keyof typeof ANSWERS))
    t.equal(res.statusCode, status, code)
    t.same(res.json(), { error: code, message }, code)
  }
})

t.test('headers come from the error: the challenge of an AuthError, Retry-After of an outage', async t => {
  const refused = await answer(t, new AuthError('invalid_token', 'FAST_JWT_EXPIRED'))
  t.match(refused.headers['www-authenticate'], /^Bearer error="invalid_token"/)
  t.equal(refused.json().error, 'invalid_token', 'the body names the challenge\'s error')
  const outage = await answer(t, new ApiError('jwks_unavailable', { reason: 'ECONNREFUSED', retryAfterSeconds: 30 }))
  t.equal(outage.headers['retry-after'], '30')
  t.equal(outage.headers['www-authenticate'], undefined, 'an outage is no challenge')
  const shown = await answer(t, new ApiError('not_found', { message: 'No such user' }))
  t.same(shown.json(), { error: 'not_found', message: 'No such user' })
})

t.test('other errors: the code of their status, and a masked message from 500 on', async t => {
  const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 })
  t.same((await answer(t, tooLarge)).json(), { error: 'payload_too_large', message: 'Request body is too large' })
  const odd = Object.assign(new Error('secret detail'), { statusCode: 302 })
  const res = await answer(t, odd)
  t.equal(res.statusCode, 500, 'a status that is no error is a 500')
  t.same(res.json(), { error: 'internal_error', message: 'Internal Server Error' })
})
