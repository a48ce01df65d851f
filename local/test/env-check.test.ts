import t from 'tap'
import { envProblems, isPlaceholder } from '../src/env-check.js'

const filledIn = {
  AUTH0_DOMAIN: 'dev-abc123.eu.auth0.com',
  AUTH0_CLIENT_ID: 'Xk2mLq9',
  AUTH0_AUDIENCE: 'https://api.local.test',
  AUTH0_EMAIL_CLAIM: 'https://api.example.com/email',
  AWS_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz',
  BACKEND_PORT: '8000',
  VITE_AUTH0_DOMAIN: 'dev-abc123.eu.auth0.com',
  VITE_AUTH0_CLIENT_ID: 'Xk2mLq9',
  VITE_AUTH0_AUDIENCE: 'https://api.local.test',
  VITE_AUTH0_REDIRECT_URI: 'http://localhost:3000/callback',
  VITE_BACKEND_BASE_URL: 'http://localhost:8000'
}

t.test('placeholders: `your-` or an RFC 2606 example domain, nothing else', async t => {
  for (const value of [
    'your-tenant.eu.auth0.com', 'YOUR-CLIENT-ID', 'https://api.example.com', 'example.org',
    'http://a.b.example.net:8080/x', 'https://EXAMPLE.COM/'
  ]) t.ok(isPlaceholder(value), value)
  for (const value of [
    'dev-abc123.eu.auth0.com', 'https://api.local.test', 'http://localhost:4000', 'notexample.com',
    'https://example.community', 'eu-west-1_AbC123xyz', 'Xk2mLq9', 'https://[not a host'
  ]) t.notOk(isPlaceholder(value), value)
})

t.test('a filled-in .env has no problem; the email claim may keep the README example', async t => {
  t.same(envProblems(filledIn), [])
  t.same(envProblems({ ...filledIn, AUTH0_CLIENT_ID: undefined }), [], 'AUTH0_CLIENT_ID is not needed to run')
  t.same(envProblems({ ...filledIn, VITE_AUTH0_USE_DPOP: 'true' }), [], 'DPoP on')
  t.same(envProblems({ ...filledIn, VITE_AUTH0_USE_DPOP: '' }), [], 'DPoP off')
})

t.test('every problem is named, in one list', async t => {
  t.same(envProblems({
    ...filledIn,
    AUTH0_DOMAIN: 'your-tenant.eu.auth0.com',
    AUTH0_CLIENT_ID: 'your-client-id',
    AUTH0_JWKS_URI: 'https://your-tenant.eu.auth0.com/.well-known/jwks.json',
    AWS_REGION: undefined,
    COGNITO_USER_POOL_ID: '',
    BACKEND_PORT: '80a',
    VITE_AUTH0_AUDIENCE: 'https://api.example.com',
    VITE_AUTH0_USE_DPOP: 'yes'
  }), [
    'AUTH0_DOMAIN is still the .env.example placeholder (your-tenant.eu.auth0.com)',
    'AWS_REGION is not set',
    'COGNITO_USER_POOL_ID is empty',
    'VITE_AUTH0_AUDIENCE is still the .env.example placeholder (https://api.example.com)',
    'AUTH0_CLIENT_ID is still the .env.example placeholder (your-client-id)',
    'AUTH0_JWKS_URI is still the .env.example placeholder (https://your-tenant.eu.auth0.com/.well-known/jwks.json)',
    'BACKEND_PORT is not a port number: 80a',
    'VITE_AUTH0_USE_DPOP is neither true nor false: yes'
  ])
})
