/** Bearer tokens through the whole app (/me): what authenticate.ts accepts and refuses; DPoP has its own file. */
import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { rsaKeyPair } from '../fixtures/identity-provider.js'
import { bearer, captureLogs, setup } from '../helper.js'

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

t.test('a valid token reaches /me; the Bearer scheme is case-insensitive', async t => {
  const { app, idp } = await setup(t)
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    const res = await app.inject({ url: '/me', headers: { authorization: `${scheme} ${idp.signToken()}` } })
    t.equal(res.statusCode, 200, scheme)
  }
})

t.test('no token: 401 with a bare Bearer challenge', async t => {
  const { app } = await setup(t)
  for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: '' }]) {
    const res = await app.inject({ url: '/me', headers })
    t.equal(res.statusCode, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer')
    t.same(res.json(), { error: 'unauthorized', message: 'Missing bearer token' })
  }
})

t.test('every bad token gets the same 401 body, whose error is the challenge\'s: invalid_token', async t => {
  const { app, idp } = await setup(t)
  const now = Math.floor(Date.now() / 1000)
  const publicPem = idp.publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const valid = idp.signToken()
  const [header, payload, signature] = valid.split('.')
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
  const jkuHeader = b64url({ alg: 'RS256', typ: 'JWT', kid: 'attacker', jku: 'http://127.0.0.1:9/jwks.json' })
  const hs256WithPublicKey = (() => {
    const head = b64url({ alg: 'HS256', typ: 'JWT', kid: 'key-1' })
    return `${head}.${payload}.${createHmac('sha256', publicPem).update(`${head}.${payload}`).digest('base64url')}`
  })()

  const badTokens: Record<string, string> = {
    malformed: 'not-a-jwt',
    'three garbage parts': 'abc.def.ghi',
    'bearer without a token': '',
    'token with a space inside': `${valid} extra`,
    expired: idp.signToken({ iat: now - 3600, exp: now - 60 }),
    'not yet valid': idp.signToken({ nbf: now + 300 }),
    'issued in the future': idp.signToken({ iat: now + 300 }),
    'issued more than 30 days ago': idp.signToken({ iat: now - 31 * 86_400, exp: now + 600 }),
    'wrong issuer': idp.signToken({ iss: 'https://evil.example.com/' }),
    'issuer without trailing slash': idp.signToken({ iss: idp.domain }),
    'wrong audience': idp.signToken({ aud: 'https://other-api.example.com' }),
    'missing exp': idp.signToken({ exp: undefined }),
    'missing iss': idp.signToken({ iss: undefined }),
    'missing aud': idp.signToken({ aud: undefined }),
    'missing sub': idp.signToken({ sub: undefined }),
    'sub not a string': idp.signToken({ sub: 42 }),
    'empty sub': idp.signToken({ sub: '' }),
    'RS384 with the issuer\'s key': idp.signToken({}, { algorithm: 'RS384' }),
    'PS256 with the issuer\'s key': idp.signToken({}, { algorithm: 'PS256' }),
    'alg none': `${b64url({ alg: 'none', typ: 'JWT', kid: 'key-1' })}.${payload}.`,
    'HS256 signed with the public key': hs256WithPublicKey,
    'tampered payload': `${header}.${b64url({ ...claims, sub: 'auth0|mallory' })}.${signature}`,
    'unknown kid': idp.signToken({}, { kid: 'no-such-key' }),
    'no kid': `${b64url({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`,
    'empty kid': idp.signToken({}, { kid: '' }),
    'foreign key, known kid': idp.signToken({}, { key: rsaKeyPair().privateKey }),
    'jku pointing elsewhere': `${jkuHeader}.${payload}.${signature}`
  }

  for (const [name, token] of Object.entries(badTokens)) {
    const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}`.trimEnd() } })
    t.equal(res.statusCode, 401, name)
    t.same(res.json(), { error: 'invalid_token', message: 'Invalid access token' }, name)
    t.match(res.headers['www-authenticate'], /^Bearer error="invalid_token"/, name)
  }
})

t.test('a token within the clock tolerance is accepted', async t => {
  const { app, idp } = await setup(t)
  const now = Math.floor(Date.now() / 1000)
  const token = idp.signToken({ iat: now - 600, exp: now - 2, nbf: now + 2 })
  const res = await app.inject({ url: '/me', headers: bearer(token) })
  t.equal(res.statusCode, 200)
})

t.test('JWKS unreachable with no cached key: 503 with Retry-After, not 500', async t => {
  for (const mode of ['error', 'hang'] as const) {
    const { app, idp } = await setup(t)
    idp.mode = mode
    const res = await app.inject({ url: '/me', headers: bearer(idp.signToken()) })
    t.equal(res.statusCode, 503, mode)
    t.same(res.json(), { error: 'jwks_unavailable', message: 'Cannot verify access tokens right now' }, mode)
    t.equal(res.headers['retry-after'], '30', mode)
  }
})

t.test('JWKS on a closed port: 503, logged with the network error\'s code', async t => {
  const logs = captureLogs()
  const { app, idp } = await setup(t, {}, { logger: logs.logger })
  const token = idp.signToken()
  await idp.close()
  const res = await app.inject({ url: '/me', headers: bearer(token) })
  t.equal(res.statusCode, 503)
  const failed = logs.lines.find(line => line.msg === 'request failed')?.err as { reason?: string }
  t.equal(failed?.reason, 'ECONNREFUSED')
})

t.test('closing the app aborts a JWKS fetch in flight: the request ends at once, not at the fetch timeout',
  async t => {
    const logs = captureLogs()
    const { app, idp } = await setup(t, {}, { logger: logs.logger })
    idp.mode = 'hang'
    const pending = app.inject({ url: '/me', headers: bearer(idp.signToken()) })
    while (idp.jwksRequests === 0) await new Promise(resolve => setImmediate(resolve))
    await app.close()
    t.equal((await pending).statusCode, 503)
    const failed = logs.lines.find(line => line.msg === 'request failed')?.err as { reason?: string }
    t.equal(failed?.reason, 'AbortError', 'ended by the close, not by the timeout')
  })

t.test('a cached key keeps working while the JWKS is down', async t => {
  const { app, idp } = await setup(t)
  t.equal((await app.inject({ url: '/me', headers: bearer(idp.signToken()) })).statusCode, 200)
  idp.mode = 'error'
  t.equal((await app.inject({ url: '/me', headers: bearer(idp.signToken({ sub: 'auth0|bob' })) })).statusCode, 200)
  t.equal(idp.jwksRequests, 1)
})

t.test('AUTH0_ALLOWED_CLIENT_IDS: tokens issued to other applications get 403', async t => {
  const { app, idp } = await setup(t, { AUTH0_ALLOWED_CLIENT_IDS: 'spa-client, other-spa' })
  for (const azp of ['spa-client', 'other-spa']) {
    t.equal((await app.inject({ url: '/me', headers: bearer(idp.signToken({ azp })) })).statusCode, 200, azp)
  }
  const refused = {
    'another application': { azp: 'evil-client' },
    'no azp': {},
    'a prefix': { azp: 'spa' }
  }
  for (const [name, claims] of Object.entries(refused)) {
    const res = await app.inject({ url: '/me', headers: bearer(idp.signToken(claims)) })
    t.equal(res.statusCode, 403, name)
    t.same(res.json(), { error: 'forbidden', message: 'This application may not call the API' }, name)
  }
  const { app: open, idp: openIdp } = await setup(t)
  const anyApplication = await open.inject({ url: '/me', headers: bearer(openIdp.signToken({ azp: 'evil-client' })) })
  t.equal(anyApplication.statusCode, 200, 'unset: any application')
})

t.test('AUTH0_ALLOWED_CLIENT_IDS: only a string azp names an application', async t => {
  const { app, idp } = await setup(t, { AUTH0_ALLOWED_CLIENT_IDS: 'spa-client,undefined,null' })
  const refused = {
    'azp as a list holding an allowed id': { azp: ['spa-client'] },
    'no azp, with "undefined" in the list': {},
    'azp null, with "null" in the list': { azp: null }
  }
  for (const [name, claims] of Object.entries(refused)) {
    const res = await app.inject({ url: '/me', headers: bearer(idp.signToken(claims)) })
    t.equal(res.statusCode, 403, name)
    t.same(res.json(), { error: 'forbidden', message: 'This application may not call the API' }, name)
  }
  t.equal((await app.inject({ url: '/me', headers: bearer(idp.signToken({ azp: 'spa-client' })) })).statusCode, 200)
})

t.test('a JWKS URL that redirects is an outage: the redirect is not followed', async t => {
  let location = ''
  let redirects = 0
  const redirector = createServer((req, res) => { redirects++; res.writeHead(302, { location }).end() })
  await new Promise<void>(resolve => redirector.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise(resolve => { redirector.closeAllConnections(); redirector.close(resolve) }))
  const { port } = redirector.address() as AddressInfo
  const { app, idp } = await setup(t, { AUTH0_JWKS_URI: `http://127.0.0.1:${port}/.well-known/jwks.json` })
  location = `${idp.domain}/.well-known/jwks.json` // a valid key set, with the token's key
  const res = await app.inject({ url: '/me', headers: bearer(idp.signToken()) })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { error: 'jwks_unavailable', message: 'Cannot verify access tokens right now' })
  t.equal(redirects, 1, 'the configured URL was asked')
  t.equal(idp.jwksRequests, 0, 'the place it redirects to was not')
})
