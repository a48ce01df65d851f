import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import t from 'tap'
import { createDpopVerifier, jwkThumbprint, normalizeHtu } from '../../src/services/dpop.js'

const TOKEN = 'header.payload.signature'
const URL_ME = 'https://api.example.test/me'

function es256 () {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { privateKey, publicKey, jwk: publicKey.export({ format: 'jwk' }) }
}

const client = es256()

/** A proof as auth0-spa-js makes one (ES256, typ dpop+jwt, the public jwk in the header), with overrides. */
function proof (claims: Record<string, unknown> = {}, { key = client.privateKey as KeyObject, header = {} } = {}) {
  const sign = createSigner({
    key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    algorithm: 'ES256',
    header: { alg: 'ES256', typ: 'dpop+jwt', jwk: client.jwk, ...header }
  })
  const payload = {
    jti: randomUUID(),
    htm: 'GET',
    htu: URL_ME,
    iat: Math.floor(Date.now() / 1000),
    ath: createHash('sha256').update(TOKEN).digest('base64url'),
    ...claims
  }
  return sign(Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)))
}

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
  t.equal(await dpop.verify(request()), jwkThumbprint(client.jwk))
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
  const other = es256()
  const now = Math.floor(Date.now() / 1000)
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
  const cases: Record<string, [ReturnType<typeof request>, RegExp]> = {
    'typ JWT': [request({ proof: proof({}, { header: { typ: 'JWT' } }) }), /INVALID_TYPE/],
    'signed by another key': [request({ proof: proof({}, { key: other.privateKey }) }), /INVALID_SIGNATURE/],
    'a private key in the header': [
      request({ proof: proof({}, { header: { jwk: client.privateKey.export({ format: 'jwk' }) } }) }), /JWK_NOT_PUBLIC/
    ],
    'no jwk': [request({ proof: proof({}, { header: { jwk: undefined } }) }), /JWK_MISSING/],
    'an ES256 proof with a secp256k1 key': [request({
      proof: proof({}, { key: k1.privateKey, header: { jwk: k1.publicKey.export({ format: 'jwk' }) } })
    }), /JWK_ALG_MISMATCH/],
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
