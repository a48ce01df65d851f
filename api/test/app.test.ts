import { connect, type AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp, loggerOptions } from '../src/app.js'
import { bearer, build, captureLogs, setup, testConfig } from './helper.js'

t.test('CORS: the SPA origin only', async t => {
  const app = await build(t)
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/me',
    headers: {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization,dpop'
    }
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:3000')
  t.match(preflight.headers['access-control-allow-headers'], /authorization/i)
  t.match(preflight.headers['access-control-allow-headers'], /\bdpop\b/i, 'a DPoP proof may be sent')

  const foreign = await app.inject({ url: '/health', headers: { origin: 'https://evil.example.com' } })
  t.equal(foreign.headers['access-control-allow-origin'], undefined)
  const own = await app.inject({ url: '/health', headers: { origin: 'http://localhost:3000' } })
  t.equal(own.headers['access-control-allow-origin'], 'http://localhost:3000')
})

t.test('an OPTIONS that is not a preflight gets the same empty 204, not a text/plain 400', async t => {
  const app = await build(t)
  const requests = {
    'no Origin': { 'access-control-request-method': 'GET' },
    'no Access-Control-Request-Method': { origin: 'http://localhost:3000' },
    neither: {}
  }
  for (const [name, headers] of Object.entries(requests)) {
    const res = await app.inject({ method: 'OPTIONS', url: '/me', headers })
    t.equal(res.statusCode, 204, name)
    t.equal(res.body, '', name)
    t.equal(res.headers['content-type'], undefined, name)
    t.equal(res.headers['x-content-type-options'], 'nosniff', name)
  }
})

t.test('a 401 carries CORS headers, so the SPA can read it', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/me', headers: { origin: 'http://localhost:3000' } })
  t.equal(res.statusCode, 401)
  t.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000')
  t.equal(res.headers['access-control-expose-headers'], 'WWW-Authenticate', 'and its challenge (RFC 9449 §7.1)')
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
  const logger = { ...loggerOptions({ LOG_LEVEL: 'info' }), stream }
  const logged = buildApp(testConfig({ AUTH0_DOMAIN: idp.domain }), { logger })
  logged.get('/echo-headers', async request => { request.log.info({ headers: request.headers }, 'headers'); return {} })
  t.after(() => logged.close())
  const token = idp.signToken()
  await logged.inject({ url: '/me', headers: bearer(token) })
  await logged.inject({ url: '/me', headers: bearer(`${token}x`) })
  await logged.inject({
    url: '/echo-headers',
    headers: { ...bearer(token), dpop: 'eyJproof.eyJclaims.sig', 'x-amz-security-token': 'IQoJsessiontoken' }
  })
  t.equal(lines.filter(line => line.includes('request completed')).length, 3)
  t.ok(lines.some(line => line.includes('"authorization":"[redacted]"')), 'a logged header is censored')
  t.notOk(lines.some(line => line.includes(token.slice(-20))), 'no part of the token')
  t.notOk(lines.some(line => line.includes('eyJproof')), 'nor of a DPoP proof')
  t.notOk(lines.some(line => line.includes('IQoJsessiontoken')), 'nor an AWS session token')
  t.ok(lines.some(line => line.includes('FAST_JWT_INVALID_SIGNATURE')), 'the reason is logged')
})

t.test('every answer says nosniff; answers behind auth are never cached', async t => {
  const { app, idp } = await setup(t)
  const answers = {
    health: await app.inject({ url: '/health' }),
    'not found': await app.inject({ url: '/nope' }),
    preflight: await app.inject({
      method: 'OPTIONS',
      url: '/me',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' }
    }),
    'me without a token': await app.inject({ url: '/me' }),
    me: await app.inject({ url: '/me', headers: bearer(idp.signToken()) }),
    'malformed URL': await app.inject({ url: '/%E0%A4%A' })
  }
  for (const [name, res] of Object.entries(answers)) t.equal(res.headers['x-content-type-options'], 'nosniff', name)
  t.equal(answers.me.headers['cache-control'], 'no-store')
  t.equal(answers['me without a token'].headers['cache-control'], 'no-store')
  t.equal(answers.health.headers['cache-control'], undefined, 'public answers may be cached')
})

t.test('framework errors leave through the app\'s handler, in its vocabulary, and are logged', async t => {
  const { lines, logger } = captureLogs()
  const app = buildApp(testConfig(), { logger })
  t.after(() => app.close())
  app.post('/echo', async request => request.body)
  const json = { 'content-type': 'application/json' }
  const cases = [
    { name: 'malformed URL', request: { url: '/%E0%A4%A' }, status: 400, error: 'bad_request' },
    {
      name: 'unsupported media type',
      request: { method: 'POST', url: '/echo', headers: { 'content-type': 'text/x-weird' }, payload: 'x' },
      status: 415,
      error: 'unsupported_media_type'
    },
    {
      name: 'body too large',
      request: { method: 'POST', url: '/echo', headers: json, payload: `"${'x'.repeat(1_100_000)}"` },
      status: 413,
      error: 'payload_too_large'
    },
    {
      name: 'broken JSON',
      request: { method: 'POST', url: '/echo', headers: json, payload: '{"a":' },
      status: 400,
      error: 'bad_request'
    },
    { name: 'method not routed', request: { method: 'DELETE', url: '/health' }, status: 404, error: 'not_found' }
  ] as const
  for (const c of cases) {
    lines.length = 0
    const res = await app.inject(c.request)
    t.equal(res.statusCode, c.status, c.name)
    t.same(Object.keys(res.json()), ['error', 'message'], c.name)
    t.equal(res.json().error, c.error, c.name)
    t.equal(res.headers['x-content-type-options'], 'nosniff', c.name)
    const completed = lines.some(line =>
      line.msg === 'request completed' && (line.res as { statusCode: number }).statusCode === c.status)
    t.ok(completed, `${c.name}: logged`)
  }
})

t.test('a request Node\'s parser refuses gets a JSON answer in the same vocabulary', async t => {
  const { lines, logger } = captureLogs()
  const app = await build(t, { deps: { logger } })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const raw = await new Promise<string>((resolve, reject) => {
    let data = ''
    const malformed = 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'
    const socket = connect(port, '127.0.0.1', () => socket.write(malformed))
    socket.on('data', chunk => { data += chunk }).on('close', () => resolve(data)).on('error', reject)
  })
  t.match(raw, /^HTTP\/1.1 400 Bad Request\r\n/)
  t.match(raw, /\r\nX-Content-Type-Options: nosniff\r\n/)
  t.equal(raw.slice(raw.indexOf('\r\n\r\n') + 4), '{"error":"bad_request","message":"Bad Request"}')
  t.ok(lines.some(line => line.msg === 'client error'), 'logged')
})

t.test('any error gets the code of its status: 401, 403 and 429 are never bad_request', async t => {
  const app = buildApp(testConfig(), { logger: false })
  app.get('/fail/:status', async request => {
    throw Object.assign(new Error('Nope'), { statusCode: Number((request.params as { status: string }).status) })
  })
  t.after(() => app.close())
  const expected = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    409: 'conflict',
    429: 'too_many_requests'
  }
  for (const [status, error] of Object.entries(expected)) {
    const res = await app.inject({ url: `/fail/${status}` })
    t.equal(res.statusCode, Number(status))
    t.same(res.json(), { error, message: 'Nope' }, status)
  }
  const masked = await app.inject({ url: '/fail/503' })
  t.same(masked.json(), { error: 'internal_error', message: 'Internal Server Error' }, '5xx masked')
  t.equal(masked.headers['x-content-type-options'], 'nosniff', 'a masked 500 too')
})
