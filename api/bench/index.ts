/**
 * `npm run bench`: what a token verification costs next to the RSA floor and with a DPoP proof, and what /me
 * costs next to /health, with many distinct users and a Cognito stand-in on 127.0.0.1.
 * Prints numbers and ratios; asserts nothing.
 */
import { spawn } from 'node:child_process'
import { createPublicKey, generateKeyPairSync, type JsonWebKey, sign, verify } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { createVerifier, type DecodedJwt } from 'fast-jwt'
import { createDpopVerifier } from '../src/auth/dpop.js'
import { createTokenVerifier } from '../src/auth/token-verifier.js'
import { createMemoryReplayStore } from '../src/replay/memory.js'
import { dpopClient } from '../support/dpop-client.js'
import { AUDIENCE, POOL_ID, startUpstreams } from './upstreams.js'

const USERS = 2_000
const ROUNDS = 3
const DURATION_S = Number(process.env.BENCH_SECONDS || 5)

const subs = Array.from({ length: USERS }, (_, i) => `auth0|user-${i}`)
const upstreams = await startUpstreams(new Set(subs.filter((_, i) => i % 2 === 0)))
const tokens = subs.map(sub => upstreams.signToken(sub))

async function perToken (name: string, fn: (token: string) => unknown, list = tokens) {
  for (const token of list) await fn(token) // warm up: JIT, key fetch
  let best = Infinity
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint()
    for (const token of list) await fn(token)
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000 / tokens.length)
  }
  console.log(`  ${name.padEnd(44)} ${best.toFixed(1).padStart(7)} µs/token`)
  return best
}

console.log(`Token verification (${USERS} distinct tokens, best of ${ROUNDS} rounds)`)
const publicKey = createPublicKey(upstreams.publicKey.export({ type: 'spki', format: 'pem' }))
const floor = await perToken('RSA floor: crypto.verify on the signature', token => {
  const dot = token.lastIndexOf('.')
  const signature = Buffer.from(token.slice(dot + 1), 'base64url')
  if (!verify('sha256', Buffer.from(token.slice(0, dot)), publicKey, signature)) throw new Error('bad')
})
const verifier = createTokenVerifier({ issuer: upstreams.issuer, audience: AUDIENCE })
const ours = await perToken('this API: createTokenVerifier().verify', token => verifier.verify(token))
const jwk = upstreams.jwk as JsonWebKey
const naive = createVerifier({
  key: async ({ header }: DecodedJwt) => {
    if (header.kid !== jwk.kid) throw new Error('unknown kid')
    return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()
  },
  algorithms: ['RS256'],
  allowedIss: upstreams.issuer,
  allowedAud: AUDIENCE
})
const obvious = await perToken('obvious key callback (JWK parsed per call)', token => naive(token))
console.log(`  ratio this API / RSA floor: ${(ours / floor).toFixed(2)}x   ` +
  `obvious / this API: ${(obvious / ours).toFixed(2)}x`)

// The floor of a DPoP request: the token's RSA signature and the proof's ES256 one, each a bare crypto.verify.
const es256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const proofInput = Buffer.from('x'.repeat(600))
const proofSignature = sign('sha256', proofInput, { key: es256.privateKey, dsaEncoding: 'ieee-p1363' })
const es256Floor = await perToken('ES256 floor: crypto.verify on a proof', () => {
  if (!verify('sha256', proofInput, { key: es256.publicKey, dsaEncoding: 'ieee-p1363' }, proofSignature)) {
    throw new Error('bad')
  }
})

// A request with DPoP: the same verification, plus a proof (ES256, one browser key) checked and matched to
// `cnf.jkt`, as the auth plugin does. Every pass needs fresh proofs: the replay memory refuses a proof seen before.
const browser = dpopClient()
const HTU = 'https://api.bench.test/me'
const bound = subs.map(sub => upstreams.signToken(sub, { cnf: { jkt: browser.jkt } }))
const proofsFor = (token: string) => Array.from({ length: ROUNDS + 1 }, () => browser.proof({ htu: HTU, token }))
const proofs = new Map(bound.map(token => [token, proofsFor(token)]))
// The in-process replay memory (the default): what DynamoDB adds is bench/replay.ts's.
const dpop = createDpopVerifier({ replayStore: createMemoryReplayStore({ capacity: 100_000 }) })
const withDpop = await perToken('token + DPoP proof (ES256), per request', async token => {
  const claims = await verifier.verify(token)
  const proof = proofs.get(token)!.pop()!
  await dpop.verify({ proof, method: 'GET', url: HTU, accessToken: token, jkt: (claims.cnf as { jkt: string }).jkt })
}, bound)
console.log(`  ratio DPoP / plain token: ${(withDpop / ours).toFixed(2)}x (+${(withDpop - ours).toFixed(1)} µs)   ` +
  `floor (RSA + ES256 verify) / plain token: ${((floor + es256Floor) / ours).toFixed(2)}x`)
await verifier.close()

console.log(`\nHTTP on 127.0.0.1 (built server in a child process, ${DURATION_S} s each, ` +
  `${USERS} users, half federated)`)
const port = 18_000 + Math.floor(Math.random() * 1000)
const server = spawn(process.execPath, [fileURLToPath(new URL('../dist/server.js', import.meta.url))], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    PATH: process.env.PATH,
    AUTH0_DOMAIN: upstreams.origin,
    AUTH0_AUDIENCE: AUDIENCE,
    AWS_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: POOL_ID,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: upstreams.origin,
    BACKEND_PORT: String(port)
  }
})
const url = `http://127.0.0.1:${port}`
const isUp = () => fetch(`${url}/health`).then(r => r.ok, () => false)
for (let i = 0; i < 100 && !(await isUp()); i++) await new Promise(resolve => setTimeout(resolve, 100))

async function load (path: string) {
  let next = 0
  const result = await autocannon({
    url: `${url}${path}`,
    connections: 20,
    duration: DURATION_S,
    requests: [{ setupRequest: req => ({ ...req, headers: { authorization: `Bearer ${tokens[next++ % USERS]}` } }) }]
  })
  const failed = result.non2xx + result.errors + result.timeouts
  const { requests, latency } = result
  console.log(`  ${path.padEnd(8)} ${requests.average.toFixed(0).padStart(7)} req/s   ` +
    `p50 ${latency.p50} ms   p99 ${latency.p99} ms   failed ${failed}`)
  return result
}

await load('/me') // warm up: JWKS, pool description, keep-alive sockets
const health = await load('/health')
const me = await load('/me')
const throughputRatio = me.requests.average / health.requests.average
const p99Ratio = me.latency.p99 / Math.max(health.latency.p99, 1)
console.log(`  ratio /me / /health: throughput ${throughputRatio.toFixed(2)}x, p99 ${p99Ratio.toFixed(2)}x`)
console.log(`  Cognito stand-in calls: DescribeUserPool ${upstreams.calls.DescribeUserPool}, ` +
  `AdminGetUser ${upstreams.calls.AdminGetUser}`)

server.kill('SIGTERM')
await upstreams.close()
