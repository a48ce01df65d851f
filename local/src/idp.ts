/**
 * A local identity provider shaped like Auth0, built on panva's certified oidc-provider:
 * Auth0's URL layout (/authorize, /oauth/token, /v2/logout, /.well-known/jwks.json, /userinfo),
 * its issuer form (trailing slash) and its access-token shape (RS256 JWT, typ JWT, aud = [API,
 * <issuer>userinfo], azp, the email as a namespaced claim, as the README's Post-Login Action adds it, and the
 * user's `permissions`, as Auth0 adds them with RBAC's "Add Permissions in the Access Token").
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Configuration } from 'oidc-provider'
// @ts-expect-error: oidc-provider declares no types for its own in-memory adapter (the default one).
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js'
import { findUser, USERS } from './users.js'

interface IdpOptions {
  /**
   * Origin the browser uses, e.g. http://localhost:4000 (keep `localhost` everywhere: the silent-auth
   * iframe must stay same-site).
   */
  origin: string
  clientId: string
  /** The SPA's origin: its /callback is the redirect URI, the origin itself the allowed logout URL. */
  appOrigin: string
  audience: string
  emailClaim: string
  /**
   * The ID tokens' namespaced claim with the user's permissions, space-separated, as the README's Post-Login Action
   * adds it for the identity pool's role rules (template.yaml: IdentityPoolPermissionsClaim).
   */
  permissionsClaim?: string
  /** Access tokens' lifetime in seconds (3600 unless a test wants the SPA to refresh at once). */
  accessTokenTtl?: number
  /** Refresh tokens' lifetimes in seconds (see REFRESH_TOKEN_LIFETIME). */
  refreshTokenLifetime?: { absolute: number, idle: number }
}

/**
 * Auth0's defaults for rotating refresh tokens: 30 days absolute (from the login, whatever the rotations), 15 days
 * of inactivity (each rotation starts a new idle period, never past the absolute one).
 */
export const REFRESH_TOKEN_LIFETIME = { absolute: 30 * 24 * 3600, idle: 15 * 24 * 3600 }

// Inline, so the browser asks the server for no /favicon.ico (a 404 in the console otherwise).
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#eb5424"/>' +
  '</svg>'
)}`

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="${FAVICON}">
<style>
body{font-family:system-ui,sans-serif;background:#f6f7f9;color:#1d2330}
main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
button{margin-top:1rem;width:100%;padding:.6rem;font:inherit;background:#eb5424;color:#fff;border:0;border-radius:4px}
:focus-visible{outline:3px solid #1d2330;outline-offset:2px}
.error{background:#fdecea;color:#8a1c12;padding:.5rem .75rem;border-radius:4px}small{color:#5b6475}</style></head>
<body><main>${body}</main></body></html>`

const escape = (value: string) => value.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function loginPage (uid: string, { email = '', error = '' } = {}) {
  // After a wrong password the email is kept: the focus goes to the field to type again.
  const [focusUsername, focusPassword] = error
    ? ['', ' autofocus aria-invalid="true" aria-describedby="error"']
    : [' autofocus', '']
  const demoUsers = USERS.map(u => `${escape(u.email)} / ${escape(u.password)}`).join(', ')
  return page('Log in | Local Auth0', `
<h1>Log in</h1>
<p><small>Local Auth0 stand-in. Demo users: ${demoUsers}</small></p>
${error ? `<p class="error" id="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Email</label>
<input id="username" name="username" type="email" autocomplete="username" required
  value="${escape(email)}"${focusUsername}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${focusPassword}>
<button type="submit">Continue</button></form>`)
}

async function readForm (
  ctx: { req: AsyncIterable<Buffer | string>, throw: (status: number) => never }
): Promise<URLSearchParams> {
  let body = ''
  for await (const chunk of ctx.req) {
    body += chunk
    if (body.length > 10_000) ctx.throw(413)
  }
  return new URLSearchParams(body)
}

export function createIdp ({
  origin, clientId, appOrigin, audience, emailClaim, permissionsClaim, accessTokenTtl = 3600,
  refreshTokenLifetime = REFRESH_TOKEN_LIFETIME
}: IdpOptions) {
  const issuer = `${origin}/`
  // Auth0's session cookie is `SameSite=None; Secure`: the silent-auth iframe gets it only where the browser allows
  // third-party cookies. Browsers take Secure cookies from https and from http://localhost or 127.0.0.1.
  const { protocol, hostname } = new URL(origin)
  const crossSiteCookies = protocol === 'https:' || ['localhost', '127.0.0.1'].includes(hostname)
  const cookie = crossSiteCookies ? { httpOnly: true, sameSite: 'none' as const } : undefined
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig'
  }

  const configuration: Configuration = {
    // In memory on purpose: a stand-in may forget its logins when it stops. Naming the library's own adapter says
    // so, and spares every `npm start` its warning that the development default is in use.
    adapter: createMemoryAdapter(),
    clients: [{
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${appOrigin}/callback`],
      post_logout_redirect_uris: [appOrigin]
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')], ...(cookie && { long: cookie, short: cookie }) },
    // Refresh tokens as Auth0 issues them with rotation: to a client allowed the grant that asked for offline_access;
    // each one used once and replaced. oidc-provider answers a consumed one with invalid_grant and revokes its
    // whole grant, the token's family (Auth0's reuse detection).
    rotateRefreshToken: true,
    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      jwks: '/.well-known/jwks.json',
      userinfo: '/userinfo',
      end_session: '/v2/logout'
    },
    claims: {
      openid: ['sub', ...permissionsClaim ? [permissionsClaim] : []],
      email: ['email', 'email_verified'],
      profile: ['name', 'nickname', 'picture', 'updated_at']
    },
    // Auth0's ID tokens carry the profile claims that were asked for; auth0-spa-js' getUser() reads them there.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    clientBasedCORS: (_ctx, requestOrigin) => requestOrigin === appOrigin,
    async findAccount (_ctx, sub) {
      const user = USERS.find(u => u.sub === sub)
      if (!user) return undefined
      const { email, name, nickname, picture } = user
      return {
        accountId: sub,
        claims: () => ({
          ...{ sub, email, email_verified: true, name, nickname, picture, updated_at: 1_700_000_000 },
          ...permissionsClaim ? { [permissionsClaim]: user.permissions.join(' ') } : {}
        })
      }
    },
    // First-party application: like Auth0, no consent screen; grant what was asked for.
    async loadExistingGrant (ctx) {
      const { client, session, params } = ctx.oidc
      if (!client || !session?.accountId) return undefined
      // A grant revoked since (a reused refresh token revokes its family's): a new one, as for a first login.
      const existing = session.grantIdFor(client.clientId)
      const found = existing && await ctx.oidc.provider.Grant.find(existing)
      if (found) return found
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId })
      grant.addOIDCScope(String(params?.scope ?? 'openid'))
      grant.addResourceScope(audience, String(params?.scope ?? 'openid'))
      await grant.save()
      session.ensureClientContainer(client.clientId)
      return grant
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      // DPoP (RFC 9449), on by default in oidc-provider and said here: a token request that carries a proof gets
      // an access token bound to the proof's key (`cnf.jkt`, `token_type: DPoP`), as Auth0 does for an API whose
      // sender constraining is DPoP; one without gets a Bearer token. No nonces, as at Auth0 for SPAs by default.
      // The CORS preflight of /oauth/token echoes the headers asked for, so the browser may send `DPoP`.
      dPoP: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Auth0's /v2/logout signs out at once; the library asks first, so the form submits itself.
        logoutSource: async (ctx, form) => {
          ctx.body = page('Signing out', `${form}<input type="hidden" name="logout" value="yes" form="op.logoutForm">
<p>Signing out…</p><script>document.getElementById('op.logoutForm').submit()</script>`)
        },
        postLogoutSuccessSource: async ctx => { ctx.body = page('Signed out', '<h1>Signed out</h1>') }
      },
      // auth0-spa-js' silent authentication (prompt=none in a hidden iframe) answers by postMessage.
      webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== audience) throw new Error(`unknown audience ${resource}`)
          return {
            audience,
            scope: 'openid profile email offline_access',
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } }
          }
        }
      }
    },
    formats: {
      customizers: {
        // Auth0's access token: typ JWT, aud [API, userinfo], azp, no client_id/jti, email as a namespaced claim,
        // permissions (a list, empty when the user has none).
        async jwt (_ctx, token, structured) {
          const payload = structured.payload as Record<string, unknown>
          const user = USERS.find(u => u.sub === payload.sub)
          structured.header = { typ: 'JWT' }
          payload.aud = [audience, `${issuer}userinfo`]
          payload.azp = payload.client_id
          delete payload.client_id
          delete payload.jti
          if (user) Object.assign(payload, { [emailClaim]: user.email, permissions: user.permissions })
        }
      }
    },
    ttl: {
      Session: 24 * 3600,
      Grant: 24 * 3600,
      Interaction: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: accessTokenTtl,
      // A rotated token inherits its family's start (iiat): a new idle period, but never past the absolute lifetime.
      RefreshToken: (_ctx, token) =>
        Math.max(1, Math.min(refreshTokenLifetime.idle, refreshTokenLifetime.absolute - token.totalLifetime()))
    }
  }

  const provider = new Provider(issuer, configuration)

  provider.use(async (ctx, next) => {
    // Koa refuses to write `Secure` on a connection it does not see as encrypted (plain http to loopback here), and
    // telling it the connection is https would change the URLs DPoP proofs are checked against: add it on the way out.
    if (cookie) {
      const setHeader = ctx.res.setHeader.bind(ctx.res)
      ctx.res.setHeader = (name, value) => setHeader(name, name.toLowerCase() === 'set-cookie' && Array.isArray(value)
        ? value.map(line => /samesite=none/i.test(line) && !/;\s*secure/i.test(line) ? `${line}; secure` : line)
        : value)
    }
    // auth0-spa-js speaks Auth0's parameter names; the library speaks the RFCs'.
    if (ctx.path === '/authorize' && ctx.query.audience && !ctx.query.resource) {
      const query = new URLSearchParams(ctx.querystring)
      query.set('resource', String(ctx.query.audience))
      ctx.querystring = query.toString()
    }
    // OpenID Connect keeps offline_access only with prompt=consent; Auth0 grants it to a first-party app without
    // asking. Consent is given below with the login, or at once when the user is signed in already.
    if (ctx.path === '/authorize' && /\boffline_access\b/.test(String(ctx.query.scope)) && !ctx.query.prompt) {
      const query = new URLSearchParams(ctx.querystring)
      query.set('prompt', 'consent')
      ctx.querystring = query.toString()
    }
    if (ctx.path === '/v2/logout' && ctx.method === 'GET' && ctx.query.returnTo) {
      const query = new URLSearchParams(ctx.querystring)
      query.set('post_logout_redirect_uri', String(ctx.query.returnTo))
      query.delete('returnTo')
      ctx.querystring = query.toString()
    }

    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path)
    if (!match) return next()
    const details = await provider.interactionDetails(ctx.req, ctx.res)
    ctx.type = 'html'
    if (details.prompt.name === 'consent') {
      await provider.interactionFinished(ctx.req, ctx.res, { consent: {} }, { mergeWithLastSubmission: true })
      ctx.respond = false
      return
    }
    if (ctx.method === 'GET') {
      ctx.body = loginPage(details.uid)
      return
    }
    if (ctx.method === 'POST' && match[2]) {
      const form = await readForm(ctx)
      const user = findUser(form.get('username') ?? '', form.get('password') ?? '')
      if (!user) {
        ctx.status = 401
        ctx.body = loginPage(details.uid, { email: form.get('username') ?? '', error: 'Wrong email or password.' })
        return
      }
      const result = { login: { accountId: user.sub }, consent: {} }
      await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false })
      ctx.respond = false
      return
    }
    ctx.status = 405
  })

  return { provider, issuer }
}

/** Serves the identity provider on `port` (all interfaces inside a container, loopback outside). */
export async function startIdp (
  options: IdpOptions & { port: number, host?: string }
): Promise<{ server: Server, issuer: string, port: number, close: () => Promise<void> }> {
  const { provider, issuer } = createIdp(options)
  const server = createServer(provider.callback())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  const close = () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  return { server, issuer, port, close }
}
