import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { build, preview } from 'vite'
import { SECURITY_HEADERS } from '../vite.config.js'

const WEB = new URL('..', import.meta.url).pathname

async function buildWith (env: Record<string, string>) {
  const outDir = mkdtempSync(join(tmpdir(), 'web-dist-'))
  t.teardown(() => rmSync(outDir, { recursive: true, force: true }))
  // Vite reads VITE_ values from process.env; put back exactly what was there before.
  const previous = Object.fromEntries(Object.keys(env).map(key => [key, process.env[key]]))
  Object.assign(process.env, env)
  try {
    await build({
      root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true }
    })
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
  const files = readdirSync(join(outDir, 'assets')).map(name => join(outDir, 'assets', name))
  return {
    outDir,
    html: readFileSync(join(outDir, 'index.html'), 'utf8'),
    assets: files.map(file => readFileSync(file, 'utf8')).join('\n')
  }
}

const VITE = {
  VITE_AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  VITE_AUTH0_CLIENT_ID: 'spa-client-id-123',
  VITE_AUTH0_AUDIENCE: 'https://api.example.com',
  VITE_AUTH0_REDIRECT_URI: 'http://localhost:3000/callback',
  VITE_BACKEND_BASE_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com'
}

t.test('the bundle carries the VITE_ values and none of the secrets in the environment', async t => {
  const { html, assets } = await buildWith({
    ...VITE,
    AUTH0_CLIENT_SECRET: 'auth0-secret-must-not-leak',
    AWS_ACCESS_KEY_ID: 'AKIAMUSTNOTLEAK00000',
    AWS_SECRET_ACCESS_KEY: 'aws-secret-must-not-leak',
    AWS_SESSION_TOKEN: 'aws-session-must-not-leak'
  })
  t.match(assets, 'spa-client-id-123')
  for (const secret of [
    'auth0-secret-must-not-leak', 'AKIAMUSTNOTLEAK00000', 'aws-secret-must-not-leak', 'aws-session-must-not-leak'
  ]) {
    t.notOk(assets.includes(secret) || html.includes(secret), `${secret} stays out`)
  }

  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&#39;', "'")
  t.ok(csp, 'index.html carries a CSP')
  t.match(csp, "connect-src 'self' https://tenant.eu.auth0.com https://abc123.execute-api.eu-west-1.amazonaws.com")
  t.match(csp, 'frame-src https://tenant.eu.auth0.com;')
  t.match(csp, "script-src 'self';")
  t.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'), 'the policy comes before any script')
})

t.test('vite preview (npm start) sends the same security headers as the image\'s nginx', async t => {
  t.same(Object.keys(SECURITY_HEADERS), [
    'Content-Security-Policy', 'X-Frame-Options', 'X-Content-Type-Options', 'Referrer-Policy', 'Permissions-Policy'
  ], 'all of web/nginx.conf\'s add_header lines are read')
  const { outDir } = await buildWith(VITE)
  const server = await preview({
    root: WEB,
    configFile: join(WEB, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false }
  })
  t.teardown(() => server.close())
  const base = server.resolvedUrls!.local[0]!
  for (const path of ['', 'home', 'callback?code=a&state=b']) {
    const res = await fetch(`${base}${path}`)
    t.equal(res.status, 200, `/${path}`)
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      t.equal(res.headers.get(name), value, `/${path} ${name}`)
    }
  }
  t.equal(SECURITY_HEADERS['Content-Security-Policy'], "frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
})

t.test('with an identity pool: its endpoint and the IAM API in connect-src; the AWS code in a lazy chunk', async t => {
  const { html, outDir } = await buildWith({
    ...VITE,
    VITE_COGNITO_IDENTITY_POOL_ID: 'eu-west-1:0b6f2c9e-4a57-4c1e-9d3a-5e8f7a6b1c2d',
    VITE_AWS_API_BASE_URL: 'https://iam123.execute-api.eu-west-1.amazonaws.com'
  })
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&#39;', "'")
  t.match(csp, "connect-src 'self' https://tenant.eu.auth0.com https://abc123.execute-api.eu-west-1.amazonaws.com " +
    'https://cognito-identity.eu-west-1.amazonaws.com https://iam123.execute-api.eu-west-1.amazonaws.com;')
  const entry = /<script type="module" crossorigin src="\/assets\/([^"]+)"/.exec(html)?.[1]
  const scripts = readdirSync(join(outDir, 'assets')).filter(name => name.endsWith('.js'))
  const lazy = scripts.filter(name => readFileSync(join(outDir, 'assets', name), 'utf8')
    .includes('AWSCognitoIdentityService'))
  t.equal(lazy.length, 1, 'one chunk holds the exchange and the signer')
  t.not(lazy[0], entry, 'and it is not the entry every visitor loads')
})
