/**
 * The identity pool stand-in through the real AWS SDK client (its endpoint URL alone): the wire protocol, each
 * check Cognito makes on the Logins token, stable identity ids, the role rules template.yaml defines, and the
 * credentials it remembers. Tokens come from a test issuer on 127.0.0.1 (discovery + JWKS), signed with jose.
 */
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand
} from '@aws-sdk/client-cognito-identity'
import { exportJWK, SignJWT, type JWTPayload } from 'jose'
import t from 'tap'
import { startIdentityPool } from '../src/aws/identity-pool.js'
import { readRoleRules } from '../src/aws/template.js'
import { ROOT } from '../src/build.js'

const CLAIM = 'https://api.local.test/permissions'
const SPA = 'spa-client'
const POOL = 'us-east-1:0c6f3a2e-5b1d-4e8f-9a7c-1d2e3f4a5b6c'
const NOW = new Date('2026-12-02T09:00:00Z')
const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

/** An OIDC issuer with one RS256 key, as Auth0 publishes it. */
async function startIssuer () {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...await exportJWK(publicKey), kid: 'k1', alg: 'RS256', use: 'sig' }
  const server = createServer((req, res) => {
    const base = `http://${req.headers.host}`
    const body = req.url === '/.well-known/openid-configuration'
      ? { issuer: `${base}/`, jwks_uri: `${base}/.well-known/jwks.json` }
      : { keys: [jwk] }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const key = `127.0.0.1:${(server.address() as AddressInfo).port}`
  const sign = (claims: JWTPayload, signer = privateKey) => new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
    .sign(signer)
  /** An ID token of the SPA for `sub`, as the local IdP issues it; `claims` override. */
  const idToken = (sub: string, claims: JWTPayload = {}) => sign({
    iss: `http://${key}/`, sub, aud: SPA, iat: seconds(NOW) - 60, exp: seconds(NOW) + 3600, ...claims
  })
  return { key, sign, idToken, close: () => new Promise(resolve => server.close(resolve)) }
}

const issuer = await startIssuer()
const rules = readRoleRules(`${ROOT}template.yaml`, {
  'AWS::StackName': 'local', IdentityPoolPermissionsClaim: CLAIM, Auth0SpaClientId: SPA
})
const pool = await startIdentityPool({
  identityPoolId: POOL, loginKey: issuer.key, clientIds: [SPA], rules, now: () => NOW
})
const client = new CognitoIdentityClient({
  region: 'us-east-1',
  endpoint: pool.endpoint,
  // GetId and GetCredentialsForIdentity are unsigned calls: the SDK sends no credentials.
  credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' }
})
t.teardown(async () => { client.destroy(); await pool.close(); await issuer.close() })

const logins = (token: string, key = issuer.key) => ({ [key]: token })
async function credentialsFor (token: string) {
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: POOL, Logins: logins(token) }))
  return client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(token) }))
}
/** The error name the SDK raises, or 'ok'. */
const outcome = (call: Promise<unknown>) => call.then(() => 'ok', (err: Error) => err.name)

t.test('the role rules are template.yaml\'s: read:users -> reader, any ID token of the SPA -> user', async t => {
  t.same(rules, [
    { claim: CLAIM, matchType: 'Contains', value: 'read:users', roleName: 'local-reader' },
    { claim: 'aud', matchType: 'Equals', value: SPA, roleName: 'local-user' }
  ])
})

const roleOf = (accessKeyId = '') => pool.credentials(accessKeyId)?.userArn.split('/')[1]

t.test('GetId, then GetCredentialsForIdentity: the wire protocol as the SDK speaks it', async t => {
  const token = await issuer.idToken('auth0|alice', { [CLAIM]: 'read:users' })
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: POOL, Logins: logins(token) }))
  t.match(IdentityId, /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  const answer = await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(token) }))
  t.equal(answer.IdentityId, IdentityId)
  const { AccessKeyId, SecretKey, SessionToken, Expiration } = answer.Credentials!
  t.match(AccessKeyId, /^ASIA[0-9A-Z]{16}$/)
  t.ok(SecretKey && SessionToken, 'a secret and a session token')
  t.same(Expiration, new Date(NOW.getTime() + 3600_000), 'one hour (epoch seconds on the wire, a Date in the SDK)')
  t.match(pool.credentials(AccessKeyId!), {
    secretAccessKey: SecretKey,
    sessionToken: SessionToken,
    identityId: IdentityId,
    identityPoolId: POOL,
    userArn: 'arn:aws:sts::000000000000:assumed-role/local-reader/CognitoIdentityCredentials',
    amr: ['authenticated', issuer.key, `${issuer.key}:auth0|alice`]
  }, 'remembered for the IAM gateway')
})

t.test('identity ids are stable per (issuer, sub), and each user\'s own', async t => {
  const id = async (sub: string) => (await client.send(new GetIdCommand({
    IdentityPoolId: POOL, Logins: logins(await issuer.idToken(sub))
  }))).IdentityId
  const [first, again, other] = [await id('auth0|carol'), await id('auth0|carol'), await id('auth0|dave')]
  t.equal(first, again)
  t.not(first, other)
})

t.test('role rules: read:users -> reader, any other ID token of the SPA -> user, nothing else', async t => {
  const reader = await credentialsFor(await issuer.idToken('auth0|alice', { [CLAIM]: 'read:users write:notes' }))
  t.equal(roleOf(reader.Credentials?.AccessKeyId), 'local-reader')
  const user = await credentialsFor(await issuer.idToken('auth0|bob', { [CLAIM]: '' }))
  t.equal(roleOf(user.Credentials?.AccessKeyId), 'local-user')
  const listed = await credentialsFor(await issuer.idToken('auth0|bob', { [CLAIM]: ['read:users'] }))
  t.equal(roleOf(listed.Credentials?.AccessKeyId), 'local-user', 'only a string claim matches a rule')

  // An access token issued to the SPA: azp = the SPA, so Cognito takes it (README: the trade-off), but its aud
  // is a list (the API, userinfo): no rule matches, and AmbiguousRoleResolution Deny refuses credentials.
  const access = await issuer.idToken('auth0|bob', { aud: ['https://api.local.test', 'userinfo'], azp: SPA })
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: POOL, Logins: logins(access) }))
  t.ok(IdentityId, 'GetId takes it')
  const refused = client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(access) }))
  await t.rejects(refused, { name: 'NotAuthorizedException', message: /ambiguous role mapping rules/ })
})

t.test('each token rule: a refused token is NotAuthorizedException (403), at GetId and at credentials', async t => {
  const alice = await issuer.idToken('auth0|alice')
  const [header, payload] = alice.split('.')
  const { privateKey: stranger } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const altered = [header, Buffer.from(JSON.stringify({
    ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), [CLAIM]: 'read:users'
  })).toString('base64url'), alice.split('.')[2]].join('.')
  const bad: Record<string, Promise<string> | string> = {
    'signed by another key (same kid)':
      issuer.sign({ iss: `http://${issuer.key}/`, sub: 'x', aud: SPA, exp: seconds(NOW) + 60 }, stranger),
    'altered after signing': altered,
    'another issuer': issuer.idToken('auth0|alice', { iss: 'https://evil.example/' }),
    'https for the loopback issuer': issuer.idToken('auth0|alice', { iss: `https://${issuer.key}/` }),
    'another client (aud)': issuer.idToken('auth0|alice', { aud: 'other-client' }),
    'another client (azp wins over aud)': issuer.idToken('auth0|alice', { azp: 'other-client' }),
    'expired beyond 5 minutes of skew': issuer.idToken('auth0|alice', { exp: seconds(NOW) - 301 }),
    'no exp': issuer.idToken('auth0|alice', { exp: undefined }),
    'not a JWT': 'nope'
  }
  for (const [name, pending] of Object.entries(bad)) {
    const token = await pending
    t.equal(await outcome(client.send(new GetIdCommand({ IdentityPoolId: POOL, Logins: logins(token) }))),
      'NotAuthorizedException', name)
  }
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: POOL, Logins: logins(alice) }))
  t.equal(await outcome(client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(altered) }))),
    'NotAuthorizedException', 'GetCredentialsForIdentity checks the token too')

  const late = await issuer.idToken('auth0|alice', { exp: seconds(NOW) - 240 })
  t.equal(await outcome(credentialsFor(late)), 'ok', 'expired 4 minutes ago: within the skew')
  const withAzp = await issuer.idToken('auth0|alice', { aud: 'other', azp: SPA })
  t.equal(await outcome(client.send(new GetIdCommand({ IdentityPoolId: POOL, Logins: logins(withAzp) }))), 'ok',
    'azp = the SPA decides when present')
})

t.test('another login key, another user\'s identity, unknown pool or identity, no login', async t => {
  const alice = await issuer.idToken('auth0|alice')
  const bob = await issuer.idToken('auth0|bob')
  const send = (command: GetIdCommand | GetCredentialsForIdentityCommand) =>
    outcome(client.send(command as GetIdCommand))
  t.equal(await send(new GetIdCommand({ IdentityPoolId: POOL, Logins: logins(alice, 'evil.example') })),
    'NotAuthorizedException', 'a Logins key the pool does not trust')
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: POOL, Logins: logins(alice) }))
  t.equal(await send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(bob) })),
    'NotAuthorizedException', "Bob's valid token for Alice's identity")
  const elsewhere = 'us-east-1:00000000-0000-4000-8000-000000000000'
  t.equal(await send(new GetIdCommand({ IdentityPoolId: elsewhere, Logins: logins(alice) })),
    'ResourceNotFoundException')
  t.equal(await send(new GetCredentialsForIdentityCommand({ IdentityId: 'us-east-1:nobody', Logins: logins(alice) })),
    'ResourceNotFoundException')
  t.equal(await send(new GetIdCommand({ IdentityPoolId: POOL })), 'NotAuthorizedException', 'no guests')
})

t.test('errors on the wire: Cognito\'s status and {__type, message}', async t => {
  const res = await fetch(pool.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
    body: JSON.stringify({ IdentityPoolId: POOL, Logins: { [issuer.key]: 'nope' } })
  })
  t.equal(res.status, 403)
  t.match(await res.json(), { __type: 'NotAuthorizedException', message: /^Invalid login token/ })
})
