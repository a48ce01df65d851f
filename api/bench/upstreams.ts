/**
 * What the benchmark talks to instead of Auth0 and Cognito: one server on 127.0.0.1 that serves a JWKS and
 * answers DescribeUserPool and AdminGetUser from memory, as fast as it can, so the numbers are the API's.
 * (The tests' fakes fail and hang on cue; local/'s stand-ins are real emulators: neither is made for load.)
 */
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSigner } from 'fast-jwt'

export const AUDIENCE = 'https://api.bench.test'
export const POOL_ID = 'us-east-1_BenchPool'

export async function startUpstreams (federatedSubs: Set<string>) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const signingKey = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' }
  const jwks = JSON.stringify({ keys: [signingKey] })
  const calls: Record<string, number> = {}
  const server = createServer(async (req, res) => {
    if (req.url === '/.well-known/jwks.json') return res.end(jwks)
    let body = ''
    for await (const chunk of req) body += chunk
    const operation = String(req.headers['x-amz-target']).split('.')[1]!
    calls[operation] = (calls[operation] ?? 0) + 1
    const { Username: username = '' } = JSON.parse(body) as { Username?: string }
    const sub = username.slice('Auth0_'.length)
    res.setHeader('content-type', 'application/x-amz-json-1.1')
    if (operation === 'DescribeUserPool') {
      return res.end(JSON.stringify({ UserPool: { Id: POOL_ID, Name: 'bench-pool' } }))
    }
    if (!federatedSubs.has(sub)) {
      return res
        .writeHead(400, { 'x-amzn-errortype': 'UserNotFoundException' })
        .end('{"__type":"UserNotFoundException"}')
    }
    const identities = JSON.stringify([{ providerName: 'Auth0', userId: sub, providerType: 'OIDC' }])
    res.end(JSON.stringify({
      Username: username,
      UserStatus: 'EXTERNAL_PROVIDER',
      UserAttributes: [{ Name: 'identities', Value: identities }]
    }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const sign = createSigner({
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    kid: 'bench',
    iss: `${origin}/`,
    aud: AUDIENCE,
    expiresIn: 3_600_000
  })
  return {
    origin,
    issuer: `${origin}/`,
    jwk: JSON.parse(jwks).keys[0] as Record<string, unknown>,
    publicKey,
    calls,
    signToken: (sub: string, claims: Record<string, unknown> = {}) => sign({ sub, ...claims }),
    close: () => new Promise(resolve => { server.closeAllConnections(); server.close(resolve) })
  }
}
