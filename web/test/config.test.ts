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
      useDpop: false
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
  t.same(useDpop('yes'), { ok: false, missing: [], invalid: ['VITE_AUTH0_USE_DPOP: true or false'] })
})

t.test('every missing or blank value is named', async t => {
  t.same(readConfig({}), { ok: false, missing: [...CONFIG_KEYS], invalid: [] })
  t.same(readConfig({ ...complete, VITE_AUTH0_AUDIENCE: '  ', VITE_BACKEND_BASE_URL: undefined }), {
    ok: false,
    missing: ['VITE_AUTH0_AUDIENCE', 'VITE_BACKEND_BASE_URL'],
    invalid: []
  })
})

t.test('Auth0 origin: https unless the domain names its scheme', async t => {
  t.equal(auth0Origin('tenant.eu.auth0.com'), 'https://tenant.eu.auth0.com')
  t.equal(auth0Origin('http://localhost:4000'), 'http://localhost:4000')
})
