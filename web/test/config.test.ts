import t from 'tap'
import { auth0Origin, CONFIG_KEYS, readConfig } from '../src/config.js'

const complete = {
  VITE_AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  VITE_AUTH0_CLIENT_ID: 'abc123',
  VITE_AUTH0_AUDIENCE: 'https://api.example.com',
  VITE_AUTH0_REDIRECT_URI: 'http://localhost:3000/callback',
  VITE_BACKEND_BASE_URL: 'http://localhost:8000/'
}

t.test('a complete build config', async t => {
  t.same(readConfig(complete), {
    ok: true,
    config: {
      auth0Domain: 'tenant.eu.auth0.com',
      clientId: 'abc123',
      audience: 'https://api.example.com',
      redirectUri: 'http://localhost:3000/callback',
      backendBaseUrl: 'http://localhost:8000',
      useDpop: false,
      useRefreshTokens: false
    }
  })
})

t.test('VITE_AUTH0_USE_DPOP: true turns DPoP on, false or empty leaves it off, anything else is named', async t => {
  const useDpop = (value: string) => {
    const result = readConfig({ ...complete, VITE_AUTH0_USE_DPOP: value })
    return result.ok ? result.config.useDpop : result
  }
  t.equal(useDpop('true'), true)
  t.equal(useDpop(' TRUE '), true)
  t.equal(useDpop('false'), false)
  t.equal(useDpop(''), false)
  t.same(useDpop('yes'), { ok: false, problems: ['VITE_AUTH0_USE_DPOP must be true or false (got "yes")'] })
})

t.test('VITE_AUTH0_USE_REFRESH_TOKENS: true turns refresh tokens on, false or empty leaves them off', async t => {
  const useRefreshTokens = (value: string) => {
    const result = readConfig({ ...complete, VITE_AUTH0_USE_REFRESH_TOKENS: value })
    return result.ok ? result.config.useRefreshTokens : result
  }
  t.equal(useRefreshTokens(' True'), true)
  t.equal(useRefreshTokens('false'), false)
  t.equal(useRefreshTokens(''), false)
  t.same(useRefreshTokens('1'),
    { ok: false, problems: ['VITE_AUTH0_USE_REFRESH_TOKENS must be true or false (got "1")'] })
})

t.test('every missing or blank value is named, in the API\'s words', async t => {
  t.same(readConfig({}), { ok: false, problems: CONFIG_KEYS.map(key => `${key} is not set`) })
  t.same(readConfig({ ...complete, VITE_AUTH0_AUDIENCE: '  ', VITE_BACKEND_BASE_URL: undefined }), {
    ok: false,
    problems: ['VITE_AUTH0_AUDIENCE is empty', 'VITE_BACKEND_BASE_URL is not set']
  })
})

t.test('Auth0 and the API: https, or plain http on loopback (a local stand-in); a bare domain means https', async t => {
  const problems = (env: Record<string, string>) => {
    const result = readConfig({ ...complete, ...env })
    return result.ok ? [] : result.problems
  }
  for (const domain of ['tenant.eu.auth0.com', 'https://tenant.eu.auth0.com', 'http://localhost:4000',
    'http://127.0.0.1:4000', 'http://[::1]:4000']) {
    t.same(problems({ VITE_AUTH0_DOMAIN: domain }), [], domain)
  }
  for (const base of ['https://api.acme.io', 'http://localhost:8000', 'http://127.0.0.1:8000', 'http://[::1]:8000']) {
    t.same(problems({ VITE_BACKEND_BASE_URL: base }), [], base)
  }
  t.same(problems({ VITE_AUTH0_DOMAIN: 'http://tenant.eu.auth0.com', VITE_BACKEND_BASE_URL: 'http://api.acme.io' }), [
    'VITE_AUTH0_DOMAIN must use https unless it is on loopback (got "http://tenant.eu.auth0.com")',
    'VITE_BACKEND_BASE_URL must use https unless it is on loopback (got "http://api.acme.io")'
  ])
  t.same(problems({ VITE_AUTH0_DOMAIN: 'http://localhost.acme.io' }),
    ['VITE_AUTH0_DOMAIN must use https unless it is on loopback (got "http://localhost.acme.io")'],
    'loopback is the host, not a prefix of it')
  for (const base of ['api.acme.io', 'localhost:8000', 'ftp://api.acme.io', 'https://']) {
    t.same(problems({ VITE_BACKEND_BASE_URL: base }),
      [`VITE_BACKEND_BASE_URL must be an http(s) URL (got "${base}")`], base)
  }
  t.same(readConfig({ VITE_AUTH0_DOMAIN: 'http://tenant.eu.auth0.com' }), {
    ok: false,
    problems: [
      'VITE_AUTH0_DOMAIN must use https unless it is on loopback (got "http://tenant.eu.auth0.com")',
      ...CONFIG_KEYS.filter(key => key !== 'VITE_AUTH0_DOMAIN').map(key => `${key} is not set`)
    ]
  }, 'named next to what is missing, in the order of CONFIG_KEYS; a missing value is not also invalid')
})

t.test('Auth0 origin: https unless the domain names its scheme', async t => {
  t.equal(auth0Origin('tenant.eu.auth0.com'), 'https://tenant.eu.auth0.com')
  t.equal(auth0Origin('http://localhost:4000'), 'http://localhost:4000')
})

t.test('the identity pool: optional; the region from its id, the default endpoint, the Logins key', async t => {
  const aws = (env: Record<string, string>) => {
    const result = readConfig({ ...complete, ...env })
    return result.ok ? result.config.awsIdentity : result
  }
  t.equal(aws({}), undefined, 'no pool id: no panel')
  t.same(aws({ VITE_COGNITO_IDENTITY_POOL_ID: ' eu-west-1:0b6f2c9e-4a57-4c1e-9d3a-5e8f7a6b1c2d ' }), {
    poolId: 'eu-west-1:0b6f2c9e-4a57-4c1e-9d3a-5e8f7a6b1c2d',
    region: 'eu-west-1',
    endpoint: 'https://cognito-identity.eu-west-1.amazonaws.com/',
    apiBaseUrl: 'http://localhost:8000',
    loginsKey: 'tenant.eu.auth0.com'
  })
  t.same(aws({
    VITE_AUTH0_DOMAIN: 'http://localhost:4000',
    VITE_COGNITO_IDENTITY_POOL_ID: 'us-gov-west-1:0b6f2c9e-4a57-4c1e-9d3a-5e8f7a6b1c2d',
    VITE_COGNITO_IDENTITY_ENDPOINT: 'http://127.0.0.1:4100/',
    VITE_AWS_API_BASE_URL: 'https://abc.execute-api.us-gov-west-1.amazonaws.com/'
  }), {
    poolId: 'us-gov-west-1:0b6f2c9e-4a57-4c1e-9d3a-5e8f7a6b1c2d',
    region: 'us-gov-west-1',
    endpoint: 'http://127.0.0.1:4100/',
    apiBaseUrl: 'https://abc.execute-api.us-gov-west-1.amazonaws.com',
    loginsKey: 'localhost:4000'
  }, 'a stand-in: its endpoint and the gateway; the Logins key keeps the port, drops the scheme')
  t.same(aws({
    VITE_COGNITO_IDENTITY_POOL_ID: 'eu-west-1_AbCdEf',
    VITE_COGNITO_IDENTITY_ENDPOINT: 'http://cognito.example.com/',
    VITE_AWS_API_BASE_URL: 'gw.example.com'
  }), {
    ok: false,
    problems: [
      'VITE_COGNITO_IDENTITY_POOL_ID must be <region>:<uuid> (got "eu-west-1_AbCdEf")',
      'VITE_COGNITO_IDENTITY_ENDPOINT must use https unless it is on loopback (got "http://cognito.example.com/")',
      'VITE_AWS_API_BASE_URL must be an http(s) URL (got "gw.example.com")'
    ]
  }, 'a user pool id is not an identity pool id; the ID token and the signatures travel as the tokens do')
})
