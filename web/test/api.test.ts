import t from 'tap'
import { callApi } from '../src/api.js'
import { fakeAuth } from './helpers/dom.js'

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

/** What the API saw of one request the SDK's fetcher sent (it hands fetch a Request). */
const seenBy = (requests: Array<{ url: string, authorization: string | null, dpop: string | null }>) =>
  async (input: RequestInfo | URL) => {
    const { url, headers } = input as Request
    requests.push({ url, authorization: headers.get('authorization'), dpop: headers.get('dpop') })
    return new Response(JSON.stringify({ ok: true }), { status: 200 })
  }

t.test('DPoP: the SDK fetcher sends the token as DPoP with a proof for this request and this token', async t => {
  const { auth, calls } = fakeAuth()
  const requests: Parameters<typeof seenBy>[0] = []
  const result = await callApi({ dpop: auth, baseUrl, path: '/users/auth0%7Cb', fetchFn: seenBy(requests) })
  t.same(result, { kind: 'ok', body: { ok: true } })
  t.same(requests, [{
    url: 'http://localhost:8000/users/auth0%7Cb',
    authorization: 'DPoP the-access-token',
    dpop: 'proof GET http://localhost:8000/users/auth0%7Cb the-access-token'
  }])
  // Nothing but detailedResponse: the fetcher's own getter would pass `audience: undefined` and lose the audience.
  t.same(calls.getTokenSilently, [{ detailedResponse: true }])
})

t.test('DPoP: a token the identity provider did not bind goes out as Bearer, without a proof', async t => {
  const requests: Parameters<typeof seenBy>[0] = []
  await callApi({ dpop: fakeAuth({ tokenType: 'Bearer' }).auth, baseUrl, path: '/me', fetchFn: seenBy(requests) })
  t.same(requests.map(({ authorization, dpop }) => ({ authorization, dpop })),
    [{ authorization: 'Bearer the-access-token', dpop: null }])
})

t.test('DPoP: a nonce the API asks for is kept under the API\'s id and the call retried once with it', async t => {
  const { auth, calls } = fakeAuth()
  const proofs: Array<string | null> = []
  const askForNonce = (nonce: string) => new Response(JSON.stringify({ error: 'use_dpop_nonce' }), {
    status: 401, headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': nonce }
  })
  const once = await callApi({
    dpop: auth,
    baseUrl,
    path: '/me',
    fetchFn: async input => {
      proofs.push((input as Request).headers.get('dpop'))
      return proofs.length === 1 ? askForNonce('n1') : new Response('{}', { status: 200 })
    }
  })
  t.same(once, { kind: 'ok', body: {} })
  t.match(proofs, [/^proof GET \S+ the-access-token$/, /nonce=n1$/])
  t.equal(calls.nonces.get('api'), 'n1')
  t.notOk(calls.nonces.has(undefined), "Auth0's own nonce untouched")

  let tries = 0
  const always = await callApi({ dpop: auth, baseUrl, path: '/me', fetchFn: async () => askForNonce(`n${++tries}`) })
  t.same(always, { kind: 'failed', status: 401, message: 'The API refused the DPoP nonce' })
  t.equal(tries, 2, 'one retry, no more')
})

t.test('DPoP: every outcome is sorted as with Bearer', async t => {
  const { auth } = fakeAuth()
  t.same(await callApi({ dpop: auth, baseUrl, path: '/me', fetchFn: json(401, { error: 'invalid_token' }) }),
    { kind: 'login-required', reason: 'api_rejected_token' })
  t.same(await callApi({ dpop: auth, baseUrl, path: '/me', fetchFn: json(503, { error: 'jwks_unavailable' }) }),
    { kind: 'unavailable', status: 503, error: 'jwks_unavailable', message: 'HTTP 503' })
  t.same(await callApi({ dpop: auth, baseUrl, path: '/me', fetchFn: async () => { throw new TypeError('Failed') } }),
    { kind: 'network', message: 'The API at http://localhost:8000 cannot be reached. Is it running?' })

  let requests = 0
  const fetchFn = async () => { requests++; return new Response('{}') }
  const loginRequired = Object.assign(new Error('Login required'), { error: 'login_required' })
  const failing = (err: Error) => ({ ...auth, getTokenSilently: async () => { throw err } }) as typeof auth
  t.same(await callApi({ dpop: failing(loginRequired), baseUrl, path: '/me', fetchFn }),
    { kind: 'login-required', reason: 'login_required' })
  t.same(await callApi({ dpop: failing(new Error('Timeout')), baseUrl, path: '/me', fetchFn }),
    { kind: 'failed', status: 0, message: 'Could not get an access token: Timeout' })
  const noToken = { ...auth, getTokenSilently: async () => undefined } as unknown as typeof auth
  t.same(await callApi({ dpop: noToken, baseUrl, path: '/me', fetchFn }),
    { kind: 'login-required', reason: 'no_access_token' })
  t.equal(requests, 0)
})
