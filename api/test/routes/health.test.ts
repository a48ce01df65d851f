import t from 'tap'
import { build } from '../helper.js'

t.test('GET /health answers 200 without a token', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/health' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('unknown paths get a JSON 404', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/nope' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: 'not_found', message: 'Not Found' })
})
