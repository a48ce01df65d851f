import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp, loggerOptions } from '../src/app.js'
import { bearer, build, setup, testConfig } from './helper.js'

t.test('CORS: the SPA origin only', async t => {
  const app = await build(t)
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/me',
    headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:3000')
  t.match(preflight.headers['access-control-allow-headers'], /authorization/i)

  const foreign = await app.inject({ url: '/health', headers: { origin: 'https://evil.example.com' } })
  t.equal(foreign.headers['access-control-allow-origin'], undefined)
  const own = await app.inject({ url: '/health', headers: { origin: 'http://localhost:3000' } })
  t.equal(own.headers['access-control-allow-origin'], 'http://localhost:3000')
})

t.test('a 401 carries CORS headers, so the SPA can read it', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/me', headers: { origin: 'http://localhost:3000' } })
  t.equal(res.statusCode, 401)
  t.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000')
})

t.test('an unexpected error is a masked 500', async t => {
  const app = buildApp(testConfig(), { logger: false })
  app.get('/kaboom', async () => { throw new Error('Kaboom: db password is hunter2') })
  t.after(() => app.close())
  const res = await app.inject({ url: '/kaboom' })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { error: 'internal_error', message: 'Internal Server Error' })
})

t.test('logs: one JSON line per request, the token never in them', async t => {
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } })
  const { idp } = await setup(t)
  const logged = buildApp(testConfig({ AUTH0_DOMAIN: idp.domain }), { logger: { ...loggerOptions({ LOG_LEVEL: 'info' }), stream } })
  logged.get('/echo-headers', async request => { request.log.info({ headers: request.headers }, 'headers'); return {} })
  t.after(() => logged.close())
  const token = idp.signToken()
  await logged.inject({ url: '/me', headers: bearer(token) })
  await logged.inject({ url: '/me', headers: bearer(`${token}x`) })
  await logged.inject({ url: '/echo-headers', headers: bearer(token) })
  t.equal(lines.filter(line => line.includes('request completed')).length, 3)
  t.ok(lines.some(line => line.includes('"authorization":"[redacted]"')), 'a logged header is censored')
  t.notOk(lines.some(line => line.includes(token.slice(-20))), 'no part of the token')
  t.ok(lines.some(line => line.includes('FAST_JWT_INVALID_SIGNATURE')), 'the reason is logged')
})
