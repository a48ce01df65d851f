import t from 'tap'
import { callApi } from '../src/api.js'

const baseUrl = 'http://localhost:8000'
const json = (status: number, body: unknown) => async () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

t.test('sends the access token as a Bearer header and returns the JSON', async t => {
  let seen: { url: string, auth: string | null } | undefined
  const result = await callApi({
    getToken: async () => 'the-token',
    baseUrl,
    path: '/me',
    fetchFn: async (url, init) => {
      seen = { url: String(url), auth: new Headers(init?.headers).get('authorization') }
      return new Response(JSON.stringify({ auth0_user: { sub: 'auth0|a' } }), { status: 200 })
    }
  })
  t.same(seen, { url: 'http://localhost:8000/me', auth: 'Bearer the-token' })
  t.same(result, { kind: 'ok', body: { auth0_user: { sub: 'auth0|a' } } })
})

t.test('every status becomes an outcome the page can show', async t => {
  const cases: Array<[string, () => Promise<Response>, unknown]> = [
    ['401', json(401, { error: 'unauthorized', message: 'Invalid access token' }),
      { kind: 'login-required', reason: 'api_rejected_token' }],
    ['403', json(403, { error: 'insufficient_scope', message: 'This token lacks the permission read:users' }),
      { kind: 'forbidden', message: 'This token lacks the permission read:users' }],
    ['404', json(404, { error: 'not_found', message: 'Cognito has no federated profile for this user' }),
      { kind: 'not-found', message: 'Cognito has no federated profile for this user' }],
    ['502 Cognito', json(502, { error: 'cognito_failed', message: 'Cognito request failed' }),
      { kind: 'unavailable', status: 502, error: 'cognito_failed', message: 'Cognito request failed' }],
    ['503 throttled', json(503, { error: 'cognito_throttled', message: 'Cognito is busy, retry shortly' }),
      { kind: 'unavailable', status: 503, error: 'cognito_throttled', message: 'Cognito is busy, retry shortly' }],
    ['503 not JSON', async () => new Response('<html>bad gateway</html>', { status: 503 }),
      { kind: 'unavailable', status: 503, error: 'unavailable', message: 'HTTP 503' }],
    ['500', json(500, { error: 'internal_error', message: 'Internal Server Error' }),
      { kind: 'failed', status: 500, message: 'Internal Server Error' }],
    ['API down', async () => { throw new TypeError('Failed to fetch') },
      { kind: 'network', message: 'The API at http://localhost:8000 cannot be reached. Is it running?' }]
  ]
  for (const [name, fetchFn, expected] of cases) {
    t.same(await callApi({ getToken: async () => 'tok', baseUrl, path: '/me', fetchFn }), expected, name)
  }
})

t.test('token errors: login needed vs. other failures, and no request is sent', async t => {
  let requests = 0
  const fetchFn = async () => { requests++; return new Response('{}') }
  const loginRequired = Object.assign(new Error('Login required'), { error: 'login_required' })
  t.same(await callApi({ path: '/me', getToken: async () => { throw loginRequired }, baseUrl, fetchFn }),
    { kind: 'login-required', reason: 'login_required' })
  t.same(await callApi({ path: '/me', getToken: async () => { throw new Error('Timeout') }, baseUrl, fetchFn }),
    { kind: 'failed', status: 0, message: 'Could not get an access token: Timeout' })
  t.same(await callApi({ path: '/me', getToken: async () => undefined, baseUrl, fetchFn }),
    { kind: 'login-required', reason: 'no_access_token' })
  t.equal(requests, 0)
})
