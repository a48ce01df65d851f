import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ConfigError, issuerFromDomain, loadConfig } from '../src/config.js'

const minimal = {
  AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  AUTH0_AUDIENCE: 'https://api.example.com',
  AWS_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz'
}

t.test('defaults fill what is optional; other env vars are ignored', async t => {
  t.same(loadConfig({ ...minimal, PATH: '/usr/bin', AWS_SECRET_ACCESS_KEY: 'secret' }), {
    ...minimal,
    AUTH0_EMAIL_CLAIM: 'email',
    COGNITO_AUTH0_PROVIDER_NAME: 'Auth0',
    BACKEND_PORT: 8000,
    FRONTEND_ORIGIN: 'http://localhost:3000',
    LOG_LEVEL: 'info'
  })
})

t.test('every problem is listed on one line', async t => {
  t.throws(() => loadConfig({ AUTH0_DOMAIN: 'x.auth0.com', AWS_REGION: 'nowhere' }), {
    message: 'AUTH0_AUDIENCE is not set; COGNITO_USER_POOL_ID is not set; AWS_REGION must match pattern "^[a-z]{2}(-[a-z]+)+-\\d$"'
  })
})

t.test('numbers are coerced and empty values count as unset', async t => {
  const config = loadConfig({ ...minimal, BACKEND_PORT: '9000', FRONTEND_ORIGIN: '', AUTH0_EMAIL_CLAIM: '' })
  t.equal(config.BACKEND_PORT, 9000)
  t.equal(config.FRONTEND_ORIGIN, 'http://localhost:3000')
  t.equal(config.AUTH0_EMAIL_CLAIM, 'email')
})

t.test('a missing or malformed variable is named in the error', async t => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ ...minimal, AUTH0_DOMAIN: '' }, /AUTH0_DOMAIN/],
    [{ ...minimal, AUTH0_AUDIENCE: undefined as unknown as string }, /AUTH0_AUDIENCE/],
    [{ ...minimal, COGNITO_USER_POOL_ID: 'not a pool' }, /COGNITO_USER_POOL_ID/],
    [{ ...minimal, AWS_REGION: 'Mars' }, /AWS_REGION/],
    [{ ...minimal, BACKEND_PORT: 'eighty' }, /BACKEND_PORT/],
    [{ ...minimal, BACKEND_PORT: '70000' }, /BACKEND_PORT/],
    [{ ...minimal, FRONTEND_ORIGIN: 'http://localhost:3000/' }, /FRONTEND_ORIGIN/],
    [{ ...minimal, FRONTEND_ORIGIN: '*' }, /FRONTEND_ORIGIN/],
    [{ ...minimal, LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ...minimal, AUTH0_JWKS_URI: 'jwks.json' }, /AUTH0_JWKS_URI/],
    [{ ...minimal, AUTH0_DOMAIN: 'https://tenant.auth0.com/path' }, /AUTH0_DOMAIN/],
    [{ ...minimal, AUTH0_DOMAIN: 'ftp://tenant.auth0.com' }, /AUTH0_DOMAIN/]
  ]
  for (const [env, pattern] of cases) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', message: pattern }, String(pattern))
  }
})

t.test('issuer follows auth0-spa-js: https:// unless a scheme is given, one trailing slash', async t => {
  t.equal(issuerFromDomain('tenant.us.auth0.com'), 'https://tenant.us.auth0.com/')
  t.equal(issuerFromDomain('login.example.com/'), 'https://login.example.com/')
  t.equal(issuerFromDomain('http://localhost:4000'), 'http://localhost:4000/')
  t.equal(issuerFromDomain('https://tenant.auth0.com/'), 'https://tenant.auth0.com/')
  t.throws(() => issuerFromDomain('https://'), ConfigError)
})

t.test('the server stops at boot with one line naming the variable', async t => {
  const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))
  const { AUTH0_DOMAIN, ...env } = minimal
  t.ok(AUTH0_DOMAIN)
  const run = spawnSync(process.execPath, ['--import', 'tsx', server], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 20_000 })
  t.equal(run.status, 1)
  t.equal(run.stderr.trim(), 'Configuration error: AUTH0_DOMAIN is not set')
  t.equal(run.stdout, '')
})
