import t, { type Test } from 'tap'
import { startIdp } from '../src/idp.js'
import { freePort } from '../src/process.js'
import { USERS } from '../src/users.js'
import { dpopKey, refresh, signIn, type Client } from './idp-session.js'

const port = await freePort()
const origin = `http://localhost:${port}`
const idp = await startIdp({
  port,
  origin,
  clientId: 'spa',
  appOrigin: 'http://localhost:3999',
  audience: 'https://api.example.com',
  emailClaim: 'https://api.example.com/email'
})
t.teardown(idp.close)

t.test("Auth0's issuer form and URL layout", async t => {
  const discovery = await (await fetch(`${origin}/.well-known/openid-configuration`)).json()
  t.match(discovery, {
    issuer: `${origin}/`,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/oauth/token`,
    jwks_uri: `${origin}/.well-known/jwks.json`,
    userinfo_endpoint: `${origin}/userinfo`,
    end_session_endpoint: `${origin}/v2/logout`,
    code_challenge_methods_supported: ['S256']
  })
})

t.test('DPoP: ES256 proofs; a CORS preflight lets the browser send the DPoP header to /oauth/token', async t => {
  const discovery = await (await fetch(`${origin}/.well-known/openid-configuration`)).json()
  t.ok(discovery.dpop_signing_alg_values_supported.includes('ES256'), 'the algorithm auth0-spa-js signs with')
  const preflight = (from: string) => fetch(`${origin}/oauth/token`, {
    method: 'OPTIONS',
    headers: { origin: from, 'access-control-request-method': 'POST', 'access-control-request-headers': 'dpop' }
  })
  const res = await preflight('http://localhost:3999')
  t.ok(res.ok)
  t.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:3999')
  t.match(res.headers.get('access-control-allow-headers'), /\bdpop\b/i)
})

t.test('the JWKS publishes one RS256 signing key and no private part', async t => {
  const { keys } = await (await fetch(`${origin}/.well-known/jwks.json`)).json()
  t.equal(keys.length, 1)
  t.match(keys[0], { kty: 'RSA', alg: 'RS256', use: 'sig', kid: String, n: String, e: 'AQAB' })
  for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) t.notOk(secret in keys[0], secret)
})

/** What auth0-spa-js sends to /authorize (Authorization Code with PKCE S256), with `extra` on top. */
const authorizeQuery = (extra: Record<string, string> = {}) => new URLSearchParams({
  client_id: 'spa',
  redirect_uri: 'http://localhost:3999/callback',
  response_type: 'code',
  scope: 'openid',
  state: 's',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
  ...extra
})

t.test('/authorize sends the browser to the login page, with PKCE required', async t => {
  const query = authorizeQuery({ scope: 'openid profile email', audience: 'https://api.example.com', nonce: 'n' })
  const res = await fetch(`${origin}/authorize?${query}`, { redirect: 'manual' })
  t.equal(res.status, 303)
  t.match(res.headers.get('location'), /^\/interaction\/[\w-]+$/)
  // Auth0's cookie attributes: sent in a cross-site iframe only where third-party cookies are allowed.
  for (const line of res.headers.getSetCookie()) t.match(line, /; samesite=none\b.*; secure\b/i, line.split('=')[0]!)
  const cookie = res.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
  const login = await fetch(new URL(res.headers.get('location')!, origin), { headers: { cookie } })
  t.match(await login.text(), 'name="password"')

  query.delete('code_challenge')
  query.delete('code_challenge_method')
  const noPkce = await fetch(`${origin}/authorize?${query}`, { redirect: 'manual' })
  t.match(noPkce.headers.get('location'), /error=invalid_request/, 'no code_challenge: refused back to the app')
})

t.test('/v2/logout redirects only to a registered returnTo', async t => {
  const logout = (returnTo: string) =>
    fetch(`${origin}/v2/logout?client_id=spa&returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' })
  const evil = await logout('https://evil.example.com')
  t.equal(evil.status, 400)
  t.equal(evil.headers.get('location'), null)
  const ok = await logout('http://localhost:3999')
  t.equal(ok.status, 200)
  t.match(await ok.text(), `action="${origin}/v2/logout/confirm"`, 'signs out, then returns to the app')
})

t.test('the login page: focus on the email, then on the password after a wrong one; an inline icon', async t => {
  const query = authorizeQuery()
  const start = await fetch(`${origin}/authorize?${query}`, { redirect: 'manual' })
  const interaction = new URL(start.headers.get('location')!, origin)
  const cookie = start.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
  const first = await (await fetch(interaction, { headers: { cookie } })).text()
  t.match(first, /<input id="username"[^>]* autofocus>/)
  t.match(first, /<link rel="icon" href="data:image\/svg\+xml,/, 'no request for /favicon.ico')

  const wrong = await fetch(`${interaction}/login`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'alice@example.com', password: 'not-the-password' })
  })
  t.equal(wrong.status, 401)
  const again = await wrong.text()
  t.match(again, '<p class="error" id="error" role="alert">Wrong email or password.</p>')
  t.match(again, /<input id="username"[^>]*value="alice@example.com">/, 'the email is kept, without the focus')
  t.match(again, /<input id="password"[^>]* autofocus aria-invalid="true" aria-describedby="error">/)
})

// Refresh tokens, on an identity provider of their own with lifetimes short enough to pass by moving its clock.
const lifetime = { absolute: 3600, idle: 600 }
const rtPort = await freePort()
const client: Client = {
  origin: `http://localhost:${rtPort}`, clientId: 'spa', appOrigin: 'http://localhost:3999', audience: 'https://api.rt'
}
const rtIdp = await startIdp({
  port: rtPort, ...client, emailClaim: 'https://api.rt/email', refreshTokenLifetime: lifetime
})
t.teardown(rtIdp.close)
const alice = USERS[0]!

const realNow = Date.now
/** Sets oidc-provider's clock (it reads Date.now) `seconds` ahead of the real one until test `t` ends. */
function advance (t: Test, seconds: number) {
  Date.now = () => realNow() + seconds * 1000
  t.teardown(() => { Date.now = realNow })
}

t.test('a refresh token only for offline_access; each one works once and is replaced', async t => {
  const online = await signIn(client, alice, 'openid profile')
  t.equal(online.status, 200)
  t.notOk(online.body.refresh_token, 'no offline_access, no refresh token')

  const first = await signIn(client, alice, 'openid profile offline_access')
  t.match(first.body, { refresh_token: String, access_token: String, token_type: 'Bearer' })
  const second = await refresh(client, first.body.refresh_token)
  t.equal(second.status, 200)
  t.match(second.body, { refresh_token: String, access_token: String })
  t.not(second.body.refresh_token, first.body.refresh_token, 'rotated')
  const third = await refresh(client, second.body.refresh_token)
  t.equal(third.status, 200, 'the new one works')
})

t.test('reuse of a consumed refresh token: invalid_grant, and the whole family is revoked', async t => {
  const { body: login } = await signIn(client, alice, 'openid offline_access')
  const { body: rotated } = await refresh(client, login.refresh_token)
  const reuse = await refresh(client, login.refresh_token)
  t.equal(reuse.status, 400)
  t.equal(reuse.body.error, 'invalid_grant')
  const newest = await refresh(client, rotated.refresh_token)
  t.equal(newest.status, 400, 'the newest one, never used, is dead too')
  t.equal(newest.body.error, 'invalid_grant')
  const other = await signIn(client, alice, 'openid offline_access')
  t.equal((await refresh(client, other.body.refresh_token)).status, 200, "another login's family is untouched")
})

t.test('idle lifetime: unused for longer than idle seconds, dead; each rotation starts a new idle period', async t => {
  const { body: login } = await signIn(client, alice, 'openid offline_access')
  advance(t, lifetime.idle - 60)
  const { status, body: rotated } = await refresh(client, login.refresh_token)
  t.equal(status, 200, 'within the idle lifetime')
  advance(t, 2 * lifetime.idle - 120)
  t.equal((await refresh(client, rotated.refresh_token)).status, 200, 'the rotated one counts from its rotation')
  const { body: idle } = await signIn(client, alice, 'openid offline_access')
  advance(t, 3 * lifetime.idle)
  t.match(await refresh(client, idle.refresh_token), { status: 400, body: { error: 'invalid_grant' } })
})

t.test('absolute lifetime: rotations never carry a family past it', async t => {
  const { body: login } = await signIn(client, alice, 'openid offline_access')
  let token = login.refresh_token
  // Used every 500 s: never idle for 600 s, yet dead once 3600 s have passed since the login.
  for (let elapsed = 500; elapsed < lifetime.absolute; elapsed += 500) {
    advance(t, elapsed)
    const res = await refresh(client, token)
    t.equal(res.status, 200, `at ${elapsed} s`)
    token = res.body.refresh_token
  }
  advance(t, lifetime.absolute + 1)
  t.match(await refresh(client, token), { status: 400, body: { error: 'invalid_grant' } }, 'past the absolute')
})

t.test("with DPoP the refresh token is bound to the caller's key", async t => {
  const proof = dpopKey()
  const { body: login } = await signIn(client, alice, 'openid offline_access', proof)
  t.equal(login.token_type, 'DPoP')
  t.match(await refresh(client, login.refresh_token), { status: 400, body: { error: 'invalid_grant' } }, 'no proof')
  t.match(await refresh(client, login.refresh_token, dpopKey()), { status: 400, body: { error: 'invalid_grant' } },
    'a proof of another key')
  const bound = await refresh(client, login.refresh_token, proof)
  t.equal(bound.status, 200, 'a proof of the same key')
  t.equal(bound.body.token_type, 'DPoP')
  t.not(bound.body.refresh_token, login.refresh_token, 'rotated too (oidc-provider would not by default)')
  t.equal((await refresh(client, bound.body.refresh_token, proof)).status, 200, 'rotated, still bound')
})
