import { fireEvent } from '@testing-library/preact/pure'
import t from 'tap'
import {
  ACCESS_KEY_ID, ENDPOINT, IDENTITY_ID, POOL_ID, SECRET, SESSION_TOKEN, START, fakeAws, openAwsPanel
} from './helpers/aws.js'
import { installDom, renderApp, signedIn } from './helpers/dom.js'

installDom(t)

t.test('no identity pool configured: no panel', async t => {
  const view = renderApp(t, { path: '/home', session: signedIn })
  t.equal(view.queryAllByRole('region', { name: 'AWS credentials' }).length, 0)
})

t.test('the exchange: GetId, then GetCredentialsForIdentity, the ID token under the Auth0 domain', async t => {
  const { panel, click, status, aws } = openAwsPanel(t)
  t.equal(status(), '', 'the status region is there before any call')
  await click('Get AWS credentials')
  t.same(aws.sent.map(r => [r.method, r.url, r.headers.get('content-type'), r.headers.get('x-amz-target')]), [
    ['POST', ENDPOINT, 'application/x-amz-json-1.1', 'AWSCognitoIdentityService.GetId'],
    ['POST', ENDPOINT, 'application/x-amz-json-1.1', 'AWSCognitoIdentityService.GetCredentialsForIdentity']
  ])
  const Logins = { 'tenant.eu.auth0.com': 'id-token-1' }
  t.same(aws.bodies, [{ IdentityPoolId: POOL_ID, Logins }, { IdentityId: IDENTITY_ID, Logins }])
  t.equal(status(), 'The identity pool issued new credentials.')
  t.equal(panel.getByText('Identity id').nextSibling?.textContent, IDENTITY_ID)
  t.equal(panel.getByText('Expires').nextSibling?.textContent, '2026-12-02 10:00:00 UTC')
  t.equal(panel.queryAllByRole('alert').length, 0)
})

t.test('the secret, the session token and the key id reach neither the DOM nor the console', async t => {
  const logged: unknown[] = []
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const
  const saved = methods.map(name => console[name])
  for (const name of methods) console[name] = (...args: unknown[]) => { logged.push(args) }
  t.teardown(() => methods.forEach((name, i) => { console[name] = saved[i]! }))
  const { view, click } = openAwsPanel(t)
  await click('Get AWS credentials')
  await click('Call /aws/whoami signed')
  const page = view.container.ownerDocument.documentElement.outerHTML
  t.match(page, IDENTITY_ID, 'the page shows the identity')
  for (const secret of [SECRET, SESSION_TOKEN, ACCESS_KEY_ID, 'id-token-1']) {
    t.notOk(page.includes(secret), `${secret.slice(0, 8)}… is not in the DOM`)
    t.notOk(JSON.stringify(logged).includes(secret), `${secret.slice(0, 8)}… is not logged`)
  }
})

t.test('credentials are reused until 5 minutes before they expire, then fetched again', async t => {
  const { panel, click, status, aws } = openAwsPanel(t)
  await click('Get AWS credentials')
  aws.advance(55 * 60_000 - 1000)
  await click('Get AWS credentials')
  t.equal(aws.sent.length, 2, 'no new exchange while they are good for more than 5 minutes')
  t.equal(status(), 'These credentials are still valid: no new exchange.')
  await click('Call /aws/whoami signed')
  t.equal(aws.sent.length, 3, 'the signed call uses them too: one request, to the gateway')
  aws.advance(1000)
  await click('Get AWS credentials')
  t.equal(aws.sent.length, 5, '5 minutes before they expire: GetId and GetCredentialsForIdentity again')
  t.equal(status(), 'The identity pool issued new credentials.')
  t.equal(panel.getByText('Expires').nextSibling?.textContent, '2026-12-02 10:55:00 UTC')
})

t.test('an expired ID token is renewed through the SDK first, with its cache off', async t => {
  const aws = fakeAws()
  aws.setIdToken({ __raw: 'id-token-1', exp: START / 1000 + 30 }) // within the minute it must still be good for
  const { click, status } = openAwsPanel(t, aws)
  await click('Get AWS credentials')
  t.same(aws.renewals, [{ cacheMode: 'off' }])
  t.same(aws.bodies.map(body => body.Logins), [{ 'tenant.eu.auth0.com': 'id-token-2' }, {
    'tenant.eu.auth0.com': 'id-token-2'
  }], 'the renewed token goes to Cognito')
  t.equal(status(), 'The identity pool issued new credentials.')
})

t.test('an ID token that cannot be renewed: a new login, offered in words; no call to Cognito', async t => {
  for (const [renew, reason] of [
    [async () => { throw Object.assign(new Error('Login required'), { error: 'login_required' }) }, 'login_required'],
    [async () => {}, 'id_token_expired'] // the SDK answered, but its ID token is still the expired one
  ] as const) {
    t.test(reason, async t => {
      const aws = fakeAws()
      aws.setIdToken({ __raw: 'id-token-1', exp: START / 1000 - 1 })
      aws.onRenew(renew)
      const { panel, click } = openAwsPanel(t, aws)
      await click('Get AWS credentials')
      t.match(panel.getByRole('alert').textContent, `did not accept it (${reason})`)
      t.equal(aws.sent.length, 0, 'nothing sent')
      fireEvent.click(panel.getByRole('button', { name: 'Log in again' }))
      t.same(aws.calls.loginWithRedirect, [{ appState: { targetUrl: '/home' } }])
    })
  }
})

const denied = (type: string, message: string) => ({ status: 400, body: { __type: type, message } })

t.test('each refusal in words, as an alert; nothing else shown', async t => {
  const cases = [
    ['GetId', denied('NotAuthorizedException', 'Invalid login token. Token expired.'),
      'The identity pool did not accept your Auth0 ID token: Invalid login token. Token expired.'],
    ['GetCredentialsForIdentity',
      denied('NotAuthorizedException',
        'The ambiguous role mapping rules for: tenant.eu.auth0.com denied this request.'),
      'The identity pool gives your account no AWS role: The ambiguous role mapping rules for: tenant.eu.auth0.com ' +
      'denied this request. Its rules pick the role from a claim of your ID token: none applied to you, or the role ' +
      'they chose cannot be assumed.'],
    ['GetCredentialsForIdentity',
      denied('com.amazonaws.cognito.identity#InvalidIdentityPoolConfigurationException', 'Invalid identity pool ' +
        'configuration. Check assigned IAM roles for this pool.'),
      'The identity pool gives your account no AWS role: Invalid identity pool configuration. Check assigned IAM ' +
      'roles for this pool. Its rules pick the role from a claim of your ID token: none applied to you, or the role ' +
      'they chose cannot be assumed.'],
    ['GetId', denied('ResourceNotFoundException', 'IdentityPool not found'),
      'The call failed (400): ResourceNotFoundException: IdentityPool not found'],
    ['GetId', 'unreachable', `The identity pool at ${ENDPOINT} cannot be reached. Is it running?`]
  ] as const
  for (const [operation, reply, words] of cases) {
    t.test(words.slice(0, 50), async t => {
      const aws = fakeAws()
      aws.answers[operation] = reply
      const { panel, click, status } = openAwsPanel(t, aws)
      await click('Get AWS credentials')
      t.equal(panel.getByRole('alert').textContent, words)
      t.equal(status(), '', 'not announced as a success')
      t.equal(panel.queryAllByTestId('aws-identity').length, 0, 'no identity shown')
    })
  }
})
