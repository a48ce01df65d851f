import t from 'tap'
import { envProblems } from '../src/env-check.js'

const filledIn = {
  AUTH0_DOMAIN: 'dev-abc123.eu.auth0.com',
  AUTH0_CLIENT_ID: 'Xk2mLq9',
  AUTH0_AUDIENCE: 'https://api.local.test',
  AUTH0_EMAIL_CLAIM: 'https://api.acme-shop.io/email',
  AWS_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz',
  BACKEND_PORT: '8000',
  VITE_AUTH0_DOMAIN: 'dev-abc123.eu.auth0.com',
  VITE_AUTH0_CLIENT_ID: 'Xk2mLq9',
  VITE_AUTH0_AUDIENCE: 'https://api.local.test',
  VITE_AUTH0_REDIRECT_URI: 'http://localhost:3000/callback',
  VITE_BACKEND_BASE_URL: 'http://localhost:8000'
}

t.test('a filled-in .env has no problem', async t => {
  t.same(envProblems(filledIn), [])
  t.same(envProblems({ ...filledIn, AUTH0_CLIENT_ID: undefined }), [], 'AUTH0_CLIENT_ID is not needed to run')
  t.same(envProblems({ ...filledIn, VITE_AUTH0_USE_DPOP: 'true' }), [], 'DPoP on')
  t.same(envProblems({ ...filledIn, VITE_AUTH0_USE_DPOP: '' }), [], 'DPoP off')
})

t.test('every problem is named, in one list: the API\'s by its own rules, then the SPA\'s', async t => {
  t.same(envProblems({
    ...filledIn,
    AUTH0_DOMAIN: 'your-tenant.eu.auth0.com',
    AUTH0_CLIENT_ID: 'your-client-id',
    AUTH0_JWKS_URI: 'https://your-tenant.eu.auth0.com/.well-known/jwks.json',
    AWS_REGION: undefined,
    COGNITO_USER_POOL_ID: '',
    BACKEND_PORT: '80a',
    FRONTEND_PORT: '0',
    VITE_AUTH0_AUDIENCE: 'https://api.example.com',
    VITE_AUTH0_CLIENT_ID: '',
    VITE_AUTH0_USE_DPOP: 'yes'
  }), [
    'AWS_REGION is not set',
    'COGNITO_USER_POOL_ID is empty',
    'BACKEND_PORT must be a port number, 1 to 65535 (got "80a")',
    'AUTH0_DOMAIN is still the .env.example placeholder (your-tenant.eu.auth0.com)',
    'AUTH0_JWKS_URI is still the .env.example placeholder (https://your-tenant.eu.auth0.com/.well-known/jwks.json)',
    'VITE_AUTH0_CLIENT_ID is empty',
    'VITE_AUTH0_AUDIENCE is still the .env.example placeholder (https://api.example.com)',
    'VITE_AUTH0_USE_DPOP must be true or false (got "yes")',
    'AUTH0_CLIENT_ID is still the .env.example placeholder (your-client-id)',
    'FRONTEND_PORT must be a port number, 1 to 65535 (got "0")'
  ])
})

t.test('plain http: the API\'s endpoint rule before anything is built', async t => {
  t.same(envProblems({ ...filledIn, AUTH0_DOMAIN: 'http://tenant.eu.auth0.com' }),
    ['AUTH0_DOMAIN must use https unless it is on loopback (got "http://tenant.eu.auth0.com")'])
  t.same(envProblems({ ...filledIn, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://cognito:9229' }),
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER must use https with a real Auth0 domain (http is for stand-ins) ' +
      '(got "http://cognito:9229")'])
})
