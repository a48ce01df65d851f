import { generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import { createDpopVerifier, jwkThumbprint, normalizeHtu } from '../../src/auth/dpop.js'
import { dpopClient } from '../../support/dpop-client.js'

const TOKEN = 'header.payload.signature'
const URL_ME = 'https://api.example.test/me'

const client = dpopClient()

/** A proof as auth0-spa-js makes one (ES256, typ dpop+jwt, the public jwk in the header), with overrides. */
const proof = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, signer = client) =>
  signer.proof({ htu: URL_ME, token: TOKEN, ...claims }, header)

const request = (overrides: Partial<{ proof: string, method: string, url: string, accessToken: string }> = {}) =>
  ({ proof: proof(), method: 'GET', url: URL_ME, accessToken: TOKEN, ...overrides })

t.test('RFC 7638: the thumbprint of the RFC\'s own example key', async t => {
  const jwk = {
    kty: 'RSA',
    e: 'AQAB',
    n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3' +
      'oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZH' +
      'zu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEg' +
      'U8awapJzKnqDKgw'
  }
  t.equal(jwkThumbprint(jwk), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs')
})

t.test('a proof as the SPA makes it: its key\'s thumbprint comes back', async t => {
  const dpop = createDpopVerifier()
  t.equal(await dpop.verify(request()), client.jkt)
})

t.test('htu: scheme and host case, default port, percent-encoding, query and fragment do not matter',
  async t => {
    t.equal(normalizeHtu('HTTPS://API.example.test:443/users/auth0%7Cbob?x=1#y'),
      'https://api.example.test/users/auth0|bob')
    const dpop = createDpopVerifier()
    const htu = 'https://api.example.test/users/auth0%7Cbob?ignored=1'
    t.ok(await dpop.verify(request({ proof: proof({ htu }), url: 'https://api.example.test/users/auth0|bob' })))
  })

t.test('every broken rule is refused, with its reason for the logs', async t => {
  const now = Math.floor(Date.now() / 1000)
  const privateJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
  const cases: Record<string, [ReturnType<typeof request>, RegExp]> = {
    'typ JWT': [request({ proof: proof({}, { typ: 'JWT' }) }), /INVALID_TYPE/],
    'signed by another key': [request({ proof: proof({}, { jwk: client.jwk }, dpopClient()) }), /INVALID_SIGNATURE/],
    'a private key in the header': [request({ proof: proof({}, { jwk: privateJwk }) }), /JWK_NOT_PUBLIC/],
    'no jwk': [request({ proof: proof({}, { jwk: undefined }) }), /JWK_MISSING/],
    'an ES256 proof with a secp256k1 key': [
      request({ proof: proof({}, {}, dpopClient('secp256k1')) }), /JWK_ALG_MISMATCH/
    ],
    'another method': [request({ method: 'POST' }), /HTM_MISMATCH/],
    'another URL': [request({ url: 'https://api.example.test/other' }), /HTU_MISMATCH/],
    'another host': [request({ url: 'https://evil.example.test/me' }), /HTU_MISMATCH/],
    'htu not a URL': [request({ proof: proof({ htu: 'me' }) }), /HTU_MISMATCH/],
    'another token': [request({ accessToken: 'other.token.here' }), /ATH_MISMATCH/],
    'no ath': [request({ proof: proof({ ath: undefined }) }), /MISSING_REQUIRED_CLAIM/],
    'no jti': [request({ proof: proof({ jti: undefined }) }), /MISSING_REQUIRED_CLAIM/],
    'a short jti': [request({ proof: proof({ jti: 'abc' }) }), /JTI_INVALID/],
    'too old': [request({ proof: proof({ iat: now - 301 }) }), /IAT_OUTSIDE_WINDOW/],
    'from the future': [request({ proof: proof({ iat: now + 60 }) }), /IAT_OUTSIDE_WINDOW/],
    'not a JWT': [request({ proof: 'nope' }), /MALFORMED/]
  }
  for (const [name, [req, reason]] of Object.entries(cases)) {
    await t.rejects(createDpopVerifier().verify(req), { name: 'DpopError', reason } as unknown as Error, name)
  }
})

t.test('a proof is good once: its jti replayed is refused', async t => {
  const dpop = createDpopVerifier()
  const req = request()
  await dpop.verify(req)
  await t.rejects(dpop.verify(req), { name: 'DpopError', reason: 'JTI_REPLAYED' } as unknown as Error)
  t.ok(await dpop.verify(request()), 'a new proof passes')
})

t.test('the replay memory is bounded: the oldest proofs are forgotten first', async t => {
  const dpop = createDpopVerifier({ maxRememberedProofs: 2 })
  const first = request()
  await dpop.verify(first)
  await dpop.verify(request())
  await dpop.verify(request())
  t.ok(await dpop.verify(first), 'the first was forgotten')
})

t.test('a jti is forgotten once its proof is too old anyway: a later proof may use it again', async t => {
  const clock = { ms: Date.now() }
  const dpop = createDpopVerifier({ maxAgeSeconds: 60, leewaySeconds: 5, now: () => clock.ms })
  const jti = 'a-jti-used-twice'
  await dpop.verify(request({ proof: proof({ jti }) }))
  const replayed = { name: 'DpopError', reason: 'JTI_REPLAYED' } as unknown as Error
  await t.rejects(dpop.verify(request({ proof: proof({ jti }) })), replayed, 'within the window: a replay')
  clock.ms += 66_000 // past the first proof's iat + maxAgeSeconds + leewaySeconds
  const thumbprint = await dpop.verify(request({ proof: proof({ jti, iat: Math.floor(clock.ms / 1000) }) }))
  t.equal(thumbprint, client.jkt, 'after it, the jti is free again: the memory holds only proofs still in the window')
})
