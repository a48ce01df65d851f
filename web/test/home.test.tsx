import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fireEvent, waitFor, within } from '@testing-library/preact/pure'
import t, { type Test } from 'tap'
import { alice, fakeAuth, installDom, renderApp, signedIn } from './helpers/dom.js'

installDom(t)

/** A real HTTP API on loopback: the page's fetch, headers and JSON parsing all run for real. */
let answer: { status: number, body: unknown } = { status: 200, body: {} }
const authorizations: Array<string | undefined> = []
const proofs: Array<string | undefined> = []
const paths: string[] = []
const api = createServer((req, res) => {
  authorizations.push(req.headers.authorization)
  proofs.push(req.headers.dpop as string | undefined)
  paths.push(req.url ?? '')
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body))
})
await new Promise<void>(resolve => api.listen(0, '127.0.0.1', resolve))
t.teardown(() => new Promise(resolve => api.close(resolve)))
const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`

const pool = { id: 'us-east-1_L0calP00l', name: 'auth0-federated', arn: null, estimated_users: 1 }
const federated = {
  username: `Auth0_${alice.sub}`,
  status: 'EXTERNAL_PROVIDER',
  enabled: true,
  created_at: '2024-05-01T10:00:00.000Z',
  updated_at: '2024-05-01T10:00:00.000Z',
  attributes: { email: alice.email }
}
const meBody = (federatedUser: unknown) => ({
  message: 'Hello, alice@example.com, Cognito call OK',
  auth0_user: { sub: alice.sub, email: alice.email },
  cognito_result: { user_pool: pool, federated_user: federatedUser }
})

/** Opens /home, calls /me against `apiUrl` (or `baseUrl`), and waits for what the page shows. */
async function callMe (t: Test, reply: typeof answer, baseUrl = apiUrl, useDpop = false, { auth, calls } = fakeAuth()) {
  answer = reply
  const view = renderApp(t, { path: '/home', session: signedIn, auth, backendBaseUrl: baseUrl, useDpop })
  fireEvent.click(view.getByRole('button', { name: 'Call Protected Backend /me' }))
  // The focus moves in the turn the outcome appears: no waiting for it.
  const outcome = await view.findByTestId('me-outcome')
  return { view, outcome, calls }
}

t.test('shows who is signed in', async t => {
  const view = renderApp(t, { path: '/home', session: signedIn })
  const main = within(view.getByRole('main'))
  t.equal(main.getByText(alice.name).tagName, 'DD')
  t.equal(main.getByText(alice.email).tagName, 'DD')
  t.equal(main.getByText(alice.sub).tagName, 'CODE')
  t.equal(view.getByRole('heading', { level: 1 }).textContent, 'Home')
})

t.test('the email may wrap after its @ and before a dot, nowhere else', async t => {
  const emailOf = (email: string) => {
    const view = renderApp(t, { path: '/home', session: { isAuthenticated: true, user: { ...alice, email } } })
    const dd = view.getByTestId('email')
    view.unmount()
    return dd
  }
  const long = emailOf('averyveryverylongmailboxnamewithoutbreaks1234567@subdomain.example.com')
  t.equal(long.innerHTML, 'averyveryverylongmailboxnamewithoutbreaks1234567@<wbr>subdomain<wbr>.example<wbr>.com')
  t.equal(long.textContent, 'averyveryverylongmailboxnamewithoutbreaks1234567@subdomain.example.com',
    'copied, it is the address as it is')
  t.equal(emailOf('first.last@example.com').innerHTML, 'first<wbr>.last@<wbr>example<wbr>.com')
  t.equal(emailOf('.odd.@x').innerHTML, '.odd<wbr>.@<wbr>x', 'no empty part, no break before the first character')
})

t.test('/me: the Bearer token goes out; a summary, then the raw JSON; focus on the result', async t => {
  authorizations.length = 0
  proofs.length = 0
  const { view, outcome } = await callMe(t, { status: 200, body: meBody(federated) })
  t.same(authorizations, ['Bearer the-access-token'])
  t.same(proofs, [undefined], 'no DPoP proof unless VITE_AUTH0_USE_DPOP')
  const [meStatus] = view.getAllByRole('status')
  t.equal(meStatus?.textContent, 'The API answered. Its answer follows.')
  t.ok(view.getByRole('heading', { name: 'What Cognito knows about you' }))
  t.match(view.getByText('User pool').nextSibling?.textContent, 'auth0-federated us-east-1_L0calP00l')
  t.equal(view.getByTestId('federated-profile').textContent,
    `Auth0_${alice.sub} (EXTERNAL_PROVIDER, enabled, since 2024-05-01)`)
  t.same(JSON.parse(view.getByTestId('me-result').textContent ?? ''), meBody(federated), 'the JSON as sent')
  t.ok(document.activeElement === outcome, 'focus moved to the result')
})

t.test('/me with VITE_AUTH0_USE_DPOP: the token goes out as DPoP with a proof; the same page', async t => {
  authorizations.length = 0
  proofs.length = 0
  const { view, outcome, calls } = await callMe(t, { status: 200, body: meBody(federated) }, apiUrl, true)
  t.same(authorizations, ['DPoP the-access-token'])
  t.same(proofs, [`proof GET ${apiUrl}/me the-access-token`])
  t.same(JSON.parse(view.getByTestId('me-result').textContent ?? ''), meBody(federated))
  t.ok(document.activeElement === outcome, 'focus moved to the result')
  fireEvent.click(view.getByRole('button', { name: 'Call Protected Backend /me' }))
  await waitFor(() => { if (proofs.length < 2) throw new Error('no second call yet') })
  t.equal(calls.createFetcher, 1, 'the page renders again and again; the API client and its fetcher were made once')
})

t.test('/me without a federated profile says so, and why', async t => {
  const { view } = await callMe(t, { status: 200, body: meBody(null) })
  t.match(view.getByTestId('federated-profile').textContent,
    /^None yet\. Cognito creates it the first time you sign in through Cognito/)
})

t.test('401: an alert that offers a new login; focus on it', async t => {
  const { view, outcome, calls } = await callMe(t, { status: 401, body: { error: 'unauthorized', message: 'Bad' } })
  t.match(view.getByRole('alert').textContent, 'did not accept it (api_rejected_token)')
  t.ok(document.activeElement === outcome, 'focus moved to the error')
  fireEvent.click(view.getByRole('button', { name: 'Log in again' }))
  t.same(calls.loginWithRedirect, [{ appState: { targetUrl: '/home' } }])
})

t.test('502: the API says Cognito failed', async t => {
  const reply = { status: 502, body: { error: 'cognito_failed', message: 'Cognito request failed' } }
  const { view, outcome } = await callMe(t, reply)
  t.equal(view.getByRole('alert').textContent,
    'The API answered 502 (cognito_failed): Cognito request failed. Try again in a moment.')
  t.equal(view.queryAllByTestId('me-result').length, 0, 'no result shown')
  t.ok(document.activeElement === outcome, 'focus moved to the error')
})

t.test('the API cannot be reached', async t => {
  const closed = createServer()
  await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
  await new Promise(resolve => closed.close(resolve))
  const { view, outcome } = await callMe(t, { status: 200, body: {} }, deadUrl)
  t.equal(view.getByRole('alert').textContent, `The API at ${deadUrl} cannot be reached. Is it running?`)
  t.ok(document.activeElement === outcome, 'focus moved to the error')
})

/**
 * Opens /home, looks `sub` up, and waits for the focus to move to what the panel shows: the lookup's status
 * region says it is looking, then holds the answer; a problem is an alert outside it.
 */
async function lookUp (t: Test, reply: typeof answer, sub: string) {
  answer = reply
  const view = renderApp(t, { path: '/home', session: signedIn, auth: fakeAuth().auth, backendBaseUrl: apiUrl })
  const panel = within(view.getByRole('region', { name: 'Look up a user' }))
  const outcome = panel.getByTestId('lookup-outcome')
  t.equal(panel.getByRole('status').textContent, '', 'the status region is there before any lookup')
  fireEvent.input(panel.getByLabelText('Auth0 user id'), { target: { value: ` ${sub} ` } })
  fireEvent.click(panel.getByRole('button', { name: 'Look up' }))
  t.equal((await panel.findByText('Looking up…')).closest('[role=status]'), panel.getByRole('status'))
  await waitFor(() => { if (document.activeElement !== outcome) throw new Error('the focus is not on the outcome') })
  return { panel, status: panel.getByRole('status'), outcome }
}

t.test('look up a user: the sub, trimmed and encoded, in the path; their profile, announced; focus on it', async t => {
  paths.length = 0
  const { panel, status, outcome } = await lookUp(t, { status: 200, body: federated }, alice.sub)
  t.same(paths, [`/users/${encodeURIComponent(alice.sub)}`])
  t.equal(status.textContent, `Federated profile of ${alice.sub}: Auth0_${alice.sub} (EXTERNAL_PROVIDER, enabled, ` +
    'since 2024-05-01)')
  t.equal(outcome.textContent, status.textContent, 'shown once')
  t.equal(panel.queryAllByRole('alert').length, 0)
})

t.test('look up a sub with no profile (404): says so without claiming the user exists, announced', async t => {
  const reply = { status: 404, body: { error: 'not_found', message: 'Cognito has no federated profile for this user' } }
  // The API answers a made-up sub and a real user not yet federated alike.
  const { panel, status } = await lookUp(t, reply, 'auth0|nobody123')
  t.equal(status.textContent, 'Cognito has no federated profile for auth0|nobody123. Either no Auth0 user has ' +
    'this id, or they have not signed in through Cognito yet.')
  t.equal(panel.queryAllByRole('alert').length, 0)
})

t.test('look up a user without read:users: a clear alert from the 403, outside the status region', async t => {
  const body = { error: 'insufficient_scope', message: 'This token lacks the permission read:users' }
  const reply = { status: 403, body }
  const { panel, status } = await lookUp(t, reply, 'auth0|alice')
  t.equal(panel.getByRole('alert').textContent, 'You may not look up auth0|alice. The API said: This token lacks ' +
    'the permission read:users. An Auth0 role that holds read:users would let you.')
  t.equal(status.textContent, '')
})
