/**
 * DPoP at the API (RFC 9449 §4.3, §7): through the whole app, with proofs as auth0-spa-js makes them.
 * Under `inject` the API is http://localhost (port 80), the URL the proofs below name.
 */
import { connect, type AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import type { Config } from '../../src/config.js'
import { DPOP_ALGORITHMS } from '../../src/auth/dpop.js'
import { dpopClient } from '../../support/dpop-client.js'
import { bearer, captureLogs, setup } from '../helper.js'

const ME = 'http://localhost/me'
const ALGS = `algs="${DPOP_ALGORITHMS.join(' ')}"`
const INVALID_PROOF = `DPoP error="invalid_dpop_proof", error_description="Invalid DPoP proof", ${ALGS}`
const INVALID_TOKEN = `DPoP error="invalid_token", error_description="Invalid access token", ${ALGS}`

async function api (t: Test, overrides: Partial<Config> = {}) {
  const logs = captureLogs()
  const { app, idp } = await setup(t, overrides, { logger: logs.logger })
  const client = dpopClient()
  const boundToken = idp.signToken({ cnf: { jkt: client.jkt } })
  /** GET /me with `Authorization: <scheme> <token>` and the given DPoP header(s). */
  const get = (token: string, dpop?: string | string[], { scheme = 'DPoP', url = '/me' } = {}) =>
    app.inject({ url, headers: { authorization: `${scheme} ${token}`, ...(dpop === undefined ? {} : { dpop }) } })
  /** The reason the last refusal was logged with. */
  const reason = () => logs.lines.findLast(line => line.msg === 'request failed')?.err as { reason?: string }
  return { app, idp, client, boundToken, get, reason }
}

t.test('a bound token with a proof for this request gets in; the DPoP scheme is case-insensitive', async t => {
  const { client, boundToken, get } = await api(t)
  for (const scheme of ['DPoP', 'dpop', 'DPOP']) {
    const res = await get(boundToken, client.proof({ htu: ME, token: boundToken }), { scheme })
    t.equal(res.statusCode, 200, scheme)
    t.equal(res.json().auth0_user.sub, 'auth0|alice', scheme)
  }
  const query = await get(boundToken, client.proof({ htu: ME, token: boundToken }), { url: '/me?x=1' })
  t.equal(query.statusCode, 200, 'the query is not part of htu')
})

t.test('every broken proof rule: 401 invalid_dpop_proof with a DPoP challenge, the reason in the logs', async t => {
  const { idp, client, boundToken, get, reason } = await api(t)
  const proof = (claims = {}, header = {}) => client.proof({ htu: ME, token: boundToken, ...claims }, header)
  const now = Math.floor(Date.now() / 1000)
  const cases: Record<string, [string | string[] | undefined, RegExp]> = {
    'no DPoP header': [undefined, /NO_DPOP_PROOF/],
    'two DPoP headers': [[proof(), proof()], /SEVERAL_DPOP_PROOFS/],
    'two proofs in one header': [`${proof()}, ${proof()}`, /SEVERAL_DPOP_PROOFS/],
    'typ JWT': [proof({}, { typ: 'JWT' }), /INVALID_TYPE/],
    'signed by another key than its jwk': [
      dpopClient().proof({ htu: ME, token: boundToken }, { jwk: client.jwk }), /INVALID_SIGNATURE/
    ],
    'no jwk': [proof({}, { jwk: undefined }), /JWK_MISSING/],
    'another method': [proof({ htm: 'POST' }), /HTM_MISMATCH/],
    'another path': [proof({ htu: 'http://localhost/users/auth0|bob' }), /HTU_MISMATCH/],
    'another host': [proof({ htu: 'http://api.acme.test/me' }), /HTU_MISMATCH/],
    'https where the API is http': [proof({ htu: 'https://localhost/me' }), /HTU_MISMATCH/],
    'the hash of another token': [proof({ token: idp.signToken({ cnf: { jkt: client.jkt }, sub: 'x' }) }),
      /ATH_MISMATCH/],
    'too old': [proof({ iat: now - 301 }), /IAT_OUTSIDE_WINDOW/],
    'from the future': [proof({ iat: now + 60 }), /IAT_OUTSIDE_WINDOW/]
  }
  for (const [name, [dpop, why]] of Object.entries(cases)) {
    const res = await get(boundToken, dpop)
    t.equal(res.statusCode, 401, name)
    t.same(res.json(), { error: 'invalid_dpop_proof', message: 'Invalid DPoP proof' }, name)
    t.equal(res.headers['www-authenticate'], INVALID_PROOF, name)
    t.match(reason()?.reason, why, name)
  }
})

t.test('a proof is good once: the same proof again is refused', async t => {
  const { client, boundToken, get, reason } = await api(t)
  const proof = client.proof({ htu: ME, token: boundToken })
  t.equal((await get(boundToken, proof)).statusCode, 200)
  const replayed = await get(boundToken, proof)
  t.equal(replayed.statusCode, 401)
  t.equal(replayed.headers['www-authenticate'], INVALID_PROOF)
  t.equal(reason()?.reason, 'JTI_REPLAYED')
})

t.test('the proof\'s key must be the token\'s: 401 invalid_token with a DPoP challenge', async t => {
  const { idp, client, get, reason } = await api(t)
  const tokens = {
    'a token bound to another key': idp.signToken({ cnf: { jkt: dpopClient().jkt } }),
    'an unbound token': idp.signToken()
  }
  for (const [name, token] of Object.entries(tokens)) {
    const res = await get(token, client.proof({ htu: ME, token }))
    t.equal(res.statusCode, 401, name)
    t.same(res.json(), { error: 'invalid_token', message: 'Invalid access token' }, name)
    t.equal(res.headers['www-authenticate'], INVALID_TOKEN, name)
    t.equal(reason()?.reason, 'JKT_MISMATCH', name)
  }
  const forged = await get('not-a-jwt', client.proof({ htu: ME, token: 'not-a-jwt' }))
  t.equal(forged.statusCode, 401, 'a bad token is refused before its proof is looked at')
  t.equal(forged.headers['www-authenticate'], INVALID_TOKEN)
})

for (const mode of ['allowed', 'disabled'] as const) {
  t.test(`DPOP_MODE=${mode}: a bound token sent as Bearer is refused (RFC 9449 §7.2); unbound Bearer works`,
    async t => {
      const { idp, boundToken, app, reason } = await api(t, { DPOP_MODE: mode })
      const res = await app.inject({ url: '/me', headers: bearer(boundToken) })
      t.equal(res.statusCode, 401)
      t.same(res.json(), { error: 'invalid_token', message: 'Invalid access token' })
      t.equal(res.headers['www-authenticate'], INVALID_TOKEN)
      t.equal(reason()?.reason, 'BOUND_TOKEN_AS_BEARER')
      t.equal((await app.inject({ url: '/me', headers: bearer(idp.signToken()) })).statusCode, 200)
    })
}

t.test('DPOP_MODE=disabled: the DPoP scheme is not taken, as any unknown scheme', async t => {
  const { client, boundToken, get, reason } = await api(t, { DPOP_MODE: 'disabled' })
  const res = await get(boundToken, client.proof({ htu: ME, token: boundToken }))
  t.equal(res.statusCode, 401)
  t.same(res.json(), { error: 'unauthorized', message: 'Missing bearer token' })
  t.equal(res.headers['www-authenticate'], 'Bearer')
  t.equal(reason()?.reason, 'DPOP_SCHEME_NOT_ALLOWED')
})

t.test('DPOP_MODE=required: Bearer or nothing gets a DPoP challenge; a bound token with a proof gets in',
  async t => {
    const { idp, client, boundToken, get, app } = await api(t, { DPOP_MODE: 'required' })
    for (const headers of [{}, bearer(idp.signToken())]) {
      const res = await app.inject({ url: '/me', headers })
      t.equal(res.statusCode, 401)
      t.same(res.json(), { error: 'unauthorized', message: 'Missing DPoP-bound access token' })
      t.equal(res.headers['www-authenticate'], `DPoP ${ALGS}`)
    }
    t.equal((await get(boundToken, client.proof({ htu: ME, token: boundToken }))).statusCode, 200)
  })

t.test('DPOP_MODE=allowed: a request without a token keeps the bare Bearer challenge', async t => {
  const { app } = await api(t)
  const res = await app.inject({ url: '/me' })
  t.equal(res.headers['www-authenticate'], 'Bearer')
})

t.test('API_PUBLIC_URL is the base of htu, base path included; the Host header is then not used', async t => {
  const { client, boundToken, get } = await api(t, { API_PUBLIC_URL: 'https://api.acme.test/v1' })
  const ok = await get(boundToken, client.proof({ htu: 'https://api.acme.test/v1/me', token: boundToken }))
  t.equal(ok.statusCode, 200)
  const local = await get(boundToken, client.proof({ htu: ME, token: boundToken }))
  t.equal(local.statusCode, 401)
  t.equal(local.headers['www-authenticate'], INVALID_PROOF)
})

t.test('an absolute-form target (GET http://host/me) is routed by its path: the proof names that path', async t => {
  const { app, client, boundToken } = await api(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  /** One request on a raw socket, since fetch and inject only send origin-form targets. */
  const send = async (target: string, htu: string) => {
    const socket = connect(port, '127.0.0.1')
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: DPoP ${boundToken}\r\n` +
      `DPoP: ${client.proof({ htu, token: boundToken })}\r\nConnection: close\r\n\r\n`)
    let answer = ''
    for await (const chunk of socket) answer += chunk
    return Number(answer.slice(9, 12))
  }
  t.equal(await send('http://elsewhere.test/me', `${origin}/me`), 200, 'the path with the server\'s own origin')
  t.equal(await send('http://elsewhere.test/me', 'http://elsewhere.test/me'), 401, 'not the target\'s authority')
  t.equal(await send('http://elsewhere.test/x/../me', `${origin}/me`), 404, 'a dot segment is no route')
})
