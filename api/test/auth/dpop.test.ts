import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import t from 'tap'
import { createDpopVerifier, jwkThumbprint, normalizeHtu } from '../../src/auth/dpop.js'
import { createMemoryReplayStore } from '../../src/replay/memory.js'
import { dpopClient } from '../../support/dpop-client.js'

const TOKEN = 'header.payload.signature'
const URL_ME = 'https://api.example.test/me'

const client = dpopClient()

/** A proof as auth0-spa-js makes one (ES256, typ dpop+jwt, the public jwk in the header), with overrides. */
const proof = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, signer = client) =>
  signer.proof({ htu: URL_ME, token: TOKEN, ...claims }, header)

type ProofRequest = Parameters<ReturnType<typeof createDpopVerifier>['verify']>[0]
/** A request with the token bound to `client`'s key. */
const request = (overrides: Partial<ProofRequest> = {}): ProofRequest =>
  ({ proof: proof(), method: 'GET', url: URL_ME, accessToken: TOKEN, jkt: client.jkt, ...overrides })

const verifier = (capacity = 1_000, now?: () => number) => createDpopVerifier({
  replayStore: createMemoryReplayStore({ capacity, now: now && (() => now() / 1000) }), now
})
const refused = (reason: string | RegExp) => ({ name: 'DpopError', reason } as unknown as Error)

/** A proof signed with an RSA key (RS256), as a client with such a key would make it. */
function rsaProof (privateKey: KeyObject, publicKey: KeyObject) {
  const jwk = publicKey.export({ format: 'jwk' })
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const sign = createSigner({ key, algorithm: 'RS256', header: { alg: 'RS256', typ: 'dpop+jwt', jwk } })
  const { ath } = JSON.parse(Buffer.from(proof().split('.')[1]!, 'base64url').toString())
  const payload = { jti: randomUUID(), htm: 'GET', htu: URL_ME, iat: Math.floor(Date.now() / 1000), ath }
  return { proof: sign(payload), jkt: jwkThumbprint(jwk) }
}

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

t.test('a proof as the SPA makes it is accepted, with a jwk-thumbprint-bound token', async t => {
  await t.resolves(verifier().verify(request()))
})

t.test('htu is compared after RFC 3986 normalization only', async t => {
  t.equal(normalizeHtu('HTTPS://API.example.test:443/users/auth0%7cbob?x=1#y'),
    'https://api.example.test/users/auth0%7Cbob', 'case, default port, escapes upper-cased, no query or fragment')
  t.equal(normalizeHtu('https://api.example.test/users/auth0|bob'), 'https://api.example.test/users/auth0%7Cbob',
    'a path handed over decoded (API Gateway) compares equal to the browser\'s')
  t.equal(normalizeHtu('http://h:80/%41%2fb'), 'http://h/A%2Fb', 'unreserved decoded, a slash stays escaped')
  for (const url of ['https://user@api.example.test/me', 'https://api.example.test\\@evil.test/me',
    'https://api.example.test/me\\x', 'https://api.example.test/x/../me', 'https://api.example.test/./me',
    'https://api.example.test/x/%2e%2E/me', 'ftp://api.example.test/me', 'me']) {
    t.equal(normalizeHtu(url), undefined, `refused: ${url}`)
  }
  const htu = 'https://api.example.test/users/auth0%7Cbob?ignored=1'
  const decoded = 'https://api.example.test/users/auth0|bob'
  await t.resolves(verifier().verify(request({ proof: proof({ htu }), url: decoded })))
  await t.rejects(verifier().verify(request({ proof: proof({ htu: 'https://api.example.test/x/../me' }) })),
    refused('HTU_MISMATCH'), 'a dot segment the URL parser would resolve to /me')
})

t.test('every broken rule is refused, with its reason for the logs', async t => {
  const now = Math.floor(Date.now() / 1000)
  const privateJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
  const cases: Record<string, [ProofRequest, RegExp]> = {
    'typ JWT': [request({ proof: proof({}, { typ: 'JWT' }) }), /INVALID_TYPE/],
    'alg none': [request({ proof: proof({}, { alg: 'none' }) }), /ALG_NOT_ALLOWED/],
    'signed by another key': [request({ proof: proof({}, { jwk: client.jwk }, dpopClient()) }), /INVALID_SIGNATURE/],
    'a key the token is not bound to': [request({ proof: proof({}, {}, dpopClient()) }), /JKT_MISMATCH/],
    'an unbound token': [request({ jkt: undefined }), /JKT_MISMATCH/],
    'a private key in the header': [request({ proof: proof({}, { jwk: privateJwk }) }), /JWK_NOT_PUBLIC/],
    'no jwk': [request({ proof: proof({}, { jwk: undefined }) }), /JWK_MISSING/],
    'an ES256 proof with a secp256k1 key': [
      request({ proof: proof({}, {}, dpopClient('secp256k1')) }), /JWK_ALG_MISMATCH/
    ],
    'another method': [request({ method: 'POST' }), /HTM_MISMATCH/],
    'another URL': [request({ url: 'https://api.example.test/other' }), /HTU_MISMATCH/],
    'another host': [request({ url: 'https://evil.example.test/me' }), /HTU_MISMATCH/],
    'htu with userinfo': [request({ proof: proof({ htu: 'https://x@api.example.test/me' }) }), /HTU_MISMATCH/],
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
    await t.rejects(verifier().verify(req), refused(reason), name)
  }
})

t.test('RSA proof keys within bounds: e = 65537 and 2048-4096 bits only', async t => {
  const usual = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const accepted = rsaProof(usual.privateKey, usual.publicKey)
  await t.resolves(verifier().verify(request(accepted)), 'RS256, 2048 bits, e = 65537')
  const keys = {
    'a huge exponent': generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 4294967291 }),
    'a short modulus': generateKeyPairSync('rsa', { modulusLength: 1024 }),
    'e = 3': generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 })
  }
  for (const [name, { privateKey, publicKey }] of Object.entries(keys)) {
    const outOfBounds = request(rsaProof(privateKey, publicKey))
    await t.rejects(verifier().verify(outOfBounds), refused('RSA_KEY_OUT_OF_BOUNDS'), name)
  }
  const jwk = usual.publicKey.export({ format: 'jwk' })
  const long = { ...jwk, n: 'A' + jwk.n!.repeat(3) } // 8192+ bits: refused before it is parsed
  const longProof = proof({}, { alg: 'RS256', jwk: long })
  await t.rejects(verifier().verify(request({ proof: longProof, jkt: jwkThumbprint(long) })),
    refused('RSA_KEY_OUT_OF_BOUNDS'), 'a modulus over 4096 bits')
})

t.test('a proof is good once: its jti replayed is refused', async t => {
  const dpop = verifier()
  const req = request()
  await dpop.verify(req)
  await t.rejects(dpop.verify(req), refused('JTI_REPLAYED'))
  await t.resolves(dpop.verify(request()), 'a new proof passes')
})

t.test('a flood of proofs made with another key is refused before it is remembered: the captured proof ' +
  'stays refused', async t => {
  const dpop = verifier(100)
  const captured = request()
  await dpop.verify(captured)
  const attacker = dpopClient()
  const reasons = new Set<string>()
  for (let i = 0; i < 1_000; i++) {
    await dpop.verify(request({ proof: proof({}, {}, attacker) })).catch(err => reasons.add(err.reason))
  }
  t.same([...reasons], ['JKT_MISMATCH'], 'each refused for its key, before the memory')
  await t.rejects(dpop.verify(captured), refused('JTI_REPLAYED'), 'not flushed out of the memory')
})

t.test('a full memory refuses new proofs (503 replay_memory_full) rather than forget one', async t => {
  const dpop = verifier(1)
  const first = request()
  await dpop.verify(first)
  await t.rejects(dpop.verify(request()), { name: 'ReplayStoreError', code: 'replay_memory_full' })
  await t.rejects(dpop.verify(first), refused('JTI_REPLAYED'), 'the first is still remembered')
})

t.test('a jti is forgotten once its proof is too old anyway: a later proof may use it again', async t => {
  const clock = { ms: Date.now() }
  const dpop = verifier(1_000, () => clock.ms)
  const jti = 'a-jti-used-twice'
  await dpop.verify(request({ proof: proof({ jti }) }))
  await t.rejects(dpop.verify(request({ proof: proof({ jti }) })), refused('JTI_REPLAYED'), 'within the window')
  clock.ms += 311_000 // past the first proof's iat + max age + leeway
  await t.resolves(dpop.verify(request({ proof: proof({ jti, iat: Math.floor(clock.ms / 1000) }) })),
    'after it, the jti is free again: the memory holds only proofs still in the window')
})
