import t from 'tap'
import { startIdp } from '../src/idp.js'
import { freePort } from '../src/process.js'

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
