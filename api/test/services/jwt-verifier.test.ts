import t, { type Test } from 'tap'
import { AuthError, createJwtVerifier } from '../../src/services/jwt-verifier.js'
import { AUDIENCE, rsaKeyPair, startIdentityProvider } from '../fixtures/identity-provider.js'

async function setup (t: Test, options: { cooldownMs?: number, keyTtlMs?: number, timeoutMs?: number } = {}) {
  const idp = await startIdentityProvider()
  const verifier = createJwtVerifier({ issuer: idp.issuer, audience: AUDIENCE, ...options })
  t.after(async () => { await verifier.close(); await idp.close() })
  return { idp, verifier }
}

const reasonOf = (err: unknown) => (err as AuthError).reason

t.test('returns the claims of a valid token', async t => {
  const { idp, verifier } = await setup(t)
  const claims = await verifier.verify(idp.signToken({ sub: 'auth0|carol' }))
  t.equal(claims.sub, 'auth0|carol')
})

t.test('concurrent requests share one JWKS fetch; later ones use the parsed key', async t => {
  const { idp, verifier } = await setup(t)
  await Promise.all(Array.from({ length: 20 }, () => verifier.verify(idp.signToken())))
  await verifier.verify(idp.signToken())
  t.equal(idp.jwksRequests, 1)
})

t.test('a stream of random kids cannot make the API hammer the issuer', async t => {
  const { idp, verifier } = await setup(t, { cooldownMs: 60_000 })
  await verifier.verify(idp.signToken())
  const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => verifier.verify(idp.signToken({}, { kid: `random-${i}` }))))
  t.ok(results.every(r => r.status === 'rejected' && (r.reason as AuthError).code === 'invalid_token'))
  t.equal(idp.jwksRequests, 2, 'one fetch for the first unknown kid, then the cooldown')
  t.equal((await verifier.verify(idp.signToken())).sub, 'auth0|alice', 'known keys still work during the cooldown')
})

t.test('key rotation: a new kid in the JWKS is picked up once the cooldown has passed', async t => {
  const { idp, verifier } = await setup(t, { cooldownMs: 50 })
  await verifier.verify(idp.signToken())
  const next = rsaKeyPair()
  await t.rejects(verifier.verify(idp.signToken({}, { key: next.privateKey, kid: 'key-2' })))
  idp.keys.push({ ...next.publicKey.export({ format: 'jwk' }), kid: 'key-2', alg: 'RS256', use: 'sig' })
  await t.rejects(verifier.verify(idp.signToken({}, { key: next.privateKey, kid: 'key-2' })), 'still cooling down')
  await new Promise(resolve => setTimeout(resolve, 60))
  t.equal((await verifier.verify(idp.signToken({}, { key: next.privateKey, kid: 'key-2' }))).sub, 'auth0|alice')
})

t.test('a key removed from the JWKS stops working within two TTLs', async t => {
  // get-jwks serves the previous copy for one more TTL when a refresh fails, which keeps
  // the API up through a JWKS outage; for a revoked key it means up to 2 × TTL.
  const { idp, verifier } = await setup(t, { keyTtlMs: 50, cooldownMs: 0 })
  await verifier.verify(idp.signToken())
  idp.keys = [{ ...rsaKeyPair().publicKey.export({ format: 'jwk' }), kid: 'key-2', alg: 'RS256' }]
  await new Promise(resolve => setTimeout(resolve, 100))
  await verifier.verify(idp.signToken()).catch(() => {}) // may still pass on the stale copy
  await new Promise(resolve => setTimeout(resolve, 100))
  const err = await verifier.verify(idp.signToken()).catch(e => e)
  t.equal(err.code, 'invalid_token')
  t.equal(reasonOf(err), 'JWK_NOT_FOUND')
})

t.test('an issuer serving an empty JWKS is an outage, not a bad token', async t => {
  const { idp, verifier } = await setup(t)
  idp.keys = []
  t.equal((await verifier.verify(idp.signToken()).catch(e => e)).code, 'jwks_unavailable')
})

t.test('the JWKS fetch times out instead of hanging', async t => {
  const { idp, verifier } = await setup(t, { timeoutMs: 200 })
  idp.mode = 'hang'
  const err = await verifier.verify(idp.signToken()).catch(e => e)
  t.equal(err.code, 'jwks_unavailable')
  t.equal(reasonOf(err), 'UND_ERR_HEADERS_TIMEOUT')
  // During the cooldown the answer is immediate, without another fetch.
  t.equal((await verifier.verify(idp.signToken()).catch(e => e)).code, 'jwks_unavailable')
  t.equal(idp.jwksRequests, 1)
})

t.test('JWKS down when a known key must be refreshed: one fetch, then everyone fails fast', async t => {
  const { idp, verifier } = await setup(t, { keyTtlMs: 50, cooldownMs: 60_000, timeoutMs: 200 })
  await verifier.verify(idp.signToken())
  idp.mode = 'hang'
  await new Promise(resolve => setTimeout(resolve, 150)) // past the TTL and get-jwks' stale copy
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => verifier.verify(idp.signToken())))
  t.same(results.map(r => r.status === 'rejected' && (r.reason as AuthError).code), Array(5).fill('jwks_unavailable'))
  t.equal(idp.jwksRequests, 2, 'the first refresh timed out; the others did not queue behind it with fetches of their own')
})

t.test('only the configured issuer is asked for keys, whatever the token names', async t => {
  const { idp, verifier } = await setup(t)
  const other = await startIdentityProvider()
  t.after(() => other.close())
  const err = await verifier.verify(other.signToken({ iss: idp.issuer })).catch(e => e)
  t.equal(err.code, 'invalid_token')
  t.equal(reasonOf(err), 'FAST_JWT_INVALID_SIGNATURE')
  t.equal(other.jwksRequests, 0)
})

t.test('logs get the reason; the message stays generic', async t => {
  const { idp, verifier } = await setup(t)
  const now = Math.floor(Date.now() / 1000)
  const err = await verifier.verify(idp.signToken({ iat: now - 100, exp: now - 60 })).catch(e => e)
  t.equal(reasonOf(err), 'FAST_JWT_EXPIRED')
  t.equal(err.message, 'Invalid access token')
})

t.test('AUTH0_JWKS_URI: keys fetched from another address, iss still checked exactly', async t => {
  const idp = await startIdentityProvider()
  t.after(() => idp.close())
  const verifier = createJwtVerifier({ issuer: 'http://localhost:4000/', audience: AUDIENCE, jwksUri: `${idp.domain}/.well-known/jwks.json` })
  t.after(() => verifier.close())
  t.equal((await verifier.verify(idp.signToken({ iss: 'http://localhost:4000/' }))).sub, 'auth0|alice')
  t.equal((await verifier.verify(idp.signToken()).catch(e => e)).reason, 'FAST_JWT_INVALID_CLAIM_VALUE', 'the token must still name the configured issuer')
  t.equal(idp.jwksRequests, 1)
})
