import t from 'tap'
import { createApiClient } from '../src/api.js'
import type { AuthClient } from '../src/auth.js'
import { fakeAuth } from './helpers/dom.js'

const backendBaseUrl = 'http://localhost:8000'
const json = (status: number, body: unknown) => async () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const me = { cognito_result: { user_pool: { id: 'us-east-1_P', name: null }, federated_user: null } }

/** The client main.tsx builds, over `auth` (fakeAuth's unless given) and `fetchFn`. */
const client = (fetchFn: typeof fetch, { auth = fakeAuth().auth, useDpop = false } = {}) =>
  createApiClient(auth, { backendBaseUrl, useDpop }, fetchFn)
/** A Bearer client whose getTokenSilently does `getToken`. */
const withToken = (getToken: () => Promise<string | undefined>, fetchFn: typeof fetch) =>
  client(fetchFn, { auth: { ...fakeAuth().auth, getTokenSilently: getToken } as AuthClient })

t.test('sends the access token as a Bearer header and returns the JSON', async t => {
  let seen: { url: string, auth: string | null } | undefined
  const result = await client(async input => {
    const { url, headers } = input as Request
    seen = { url, auth: headers.get('authorization') }
    return new Response(JSON.stringify(me), { status: 200 })
  }).me()
  t.same(seen, { url: 'http://localhost:8000/me', auth: 'Bearer the-access-token' })
  t.same(result, { kind: 'ok', body: me })
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
    t.same(await client(fetchFn).me(), expected, name)
  }
})

t.test('a 200 not shaped as the page expects is a failure, not a page that breaks', async t => {
  const notMe = { kind: 'failed', status: 200, message: 'The API\'s answer to /me is not in the expected shape' }
  const bodies = [null, {}, { cognito_result: { user_pool: {} } }, { cognito_result: { user_pool: { id: 'p' } } }]
  for (const body of bodies) {
    t.same(await client(json(200, body)).me(), notMe, JSON.stringify(body))
  }
  t.same(await client(json(200, { username: 42 })).user('auth0|b'),
    { kind: 'failed', status: 200, message: 'The API\'s answer to /users/auth0%7Cb is not in the expected shape' })
  const bob = { username: 'Auth0_auth0|b', status: null, enabled: null, created_at: null }
  t.same(await client(json(200, bob)).user('auth0|b'), { kind: 'ok', body: bob })
})

t.test('token errors: login needed vs. other failures, and no request is sent', async t => {
  let requests = 0
  const fetchFn = async () => { requests++; return new Response('{}') }
  const loginRequired = Object.assign(new Error('Login required'), { error: 'login_required' })
  t.same(await withToken(async () => { throw loginRequired }, fetchFn).me(),
    { kind: 'login-required', reason: 'login_required' })
  t.same(await withToken(async () => { throw new Error('Timeout') }, fetchFn).me(),
    { kind: 'failed', status: 0, message: 'Could not get an access token: Timeout' })
  t.same(await withToken(async () => undefined, fetchFn).me(), { kind: 'login-required', reason: 'no_access_token' })
  t.equal(requests, 0)
})

/** What the API saw of one request (the client hands fetch a Request). */
const seenBy = (requests: Array<{ url: string, authorization: string | null, dpop: string | null }>) =>
  async (input: RequestInfo | URL) => {
    const { url, headers } = input as Request
    requests.push({ url, authorization: headers.get('authorization'), dpop: headers.get('dpop') })
    return new Response(JSON.stringify({ username: 'Auth0_auth0|b' }), { status: 200 })
  }

t.test('DPoP: the SDK fetcher, made once, sends the token as DPoP with a proof for this request and token', async t => {
  const { auth, calls } = fakeAuth()
  const requests: Parameters<typeof seenBy>[0] = []
  const api = client(seenBy(requests), { auth, useDpop: true })
  t.same(await api.user('auth0|b'), { kind: 'ok', body: { username: 'Auth0_auth0|b' } })
  await api.user('auth0|c')
  t.same(requests[0], {
    url: 'http://localhost:8000/users/auth0%7Cb',
    authorization: 'DPoP the-access-token',
    dpop: 'proof GET http://localhost:8000/users/auth0%7Cb the-access-token'
  })
  t.equal(calls.createFetcher, 1, 'one fetcher for every call')
  // Nothing but detailedResponse: the fetcher's own getter would pass `audience: undefined` and lose the audience.
  t.same(calls.getTokenSilently, [{ detailedResponse: true }, { detailedResponse: true }])
})

t.test('DPoP: a token the identity provider did not bind goes out as Bearer, without a proof', async t => {
  const requests: Parameters<typeof seenBy>[0] = []
  await client(seenBy(requests), { auth: fakeAuth({ tokenType: 'Bearer' }).auth, useDpop: true }).me()
  t.same(requests.map(({ authorization, dpop }) => ({ authorization, dpop })),
    [{ authorization: 'Bearer the-access-token', dpop: null }])
})

t.test('DPoP: a nonce the API asks for is kept under the API\'s id and the call retried once with it', async t => {
  const { auth, calls } = fakeAuth()
  const proofs: Array<string | null> = []
  const askForNonce = (nonce: string) => new Response(JSON.stringify({ error: 'use_dpop_nonce' }), {
    status: 401, headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': nonce }
  })
  const once = await client(async input => {
    proofs.push((input as Request).headers.get('dpop'))
    return proofs.length === 1 ? askForNonce('n1') : new Response(JSON.stringify(me), { status: 200 })
  }, { auth, useDpop: true }).me()
  t.same(once, { kind: 'ok', body: me })
  t.match(proofs, [/^proof GET \S+ the-access-token$/, /nonce=n1$/])
  t.equal(calls.nonces.get('api'), 'n1')
  t.notOk(calls.nonces.has(undefined), "Auth0's own nonce untouched")

  let tries = 0
  const always = await client(async () => askForNonce(`n${++tries}`), { auth, useDpop: true }).me()
  t.same(always, { kind: 'failed', status: 401, message: 'The API refused the DPoP nonce' })
  t.equal(tries, 2, 'one retry, no more')
})

t.test('DPoP: every outcome is sorted as with Bearer', async t => {
  const { auth } = fakeAuth()
  const dpop = (fetchFn: typeof fetch, withAuth = auth) => client(fetchFn, { auth: withAuth, useDpop: true }).me()
  t.same(await dpop(json(401, { error: 'invalid_token' })), { kind: 'login-required', reason: 'api_rejected_token' })
  t.same(await dpop(json(503, { error: 'jwks_unavailable' })),
    { kind: 'unavailable', status: 503, error: 'jwks_unavailable', message: 'HTTP 503' })
  t.same(await dpop(async () => { throw new TypeError('Failed') }),
    { kind: 'network', message: 'The API at http://localhost:8000 cannot be reached. Is it running?' })

  let requests = 0
  const fetchFn = async () => { requests++; return new Response('{}') }
  const loginRequired = Object.assign(new Error('Login required'), { error: 'login_required' })
  const failing = (err: Error) => ({ ...auth, getTokenSilently: async () => { throw err } }) as AuthClient
  t.same(await dpop(fetchFn, failing(loginRequired)), { kind: 'login-required', reason: 'login_required' })
  t.same(await dpop(fetchFn, failing(new Error('Timeout'))),
    { kind: 'failed', status: 0, message: 'Could not get an access token: Timeout' })
  const noToken = { ...auth, getTokenSilently: async () => undefined } as unknown as AuthClient
  t.same(await dpop(fetchFn, noToken), { kind: 'login-required', reason: 'no_access_token' })
  t.equal(requests, 0)
})
