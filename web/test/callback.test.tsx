import { fireEvent } from '@testing-library/preact/pure'
import t from 'tap'
import type { CallbackOutcome } from '../src/pages/Callback/finish-login.js'
import { alice, fakeAuth, installDom, renderApp, signedIn, signedOut } from './helpers/dom.js'

installDom(t)

const failed = (from: 'sdk' | 'auth0') => (error: string, description: string): CallbackOutcome =>
  ({ kind: 'error', from, error, description })
const [sdk, auth0] = [failed('sdk'), failed('auth0')]

t.test('signed out: why the login did not complete, in plain words, and a way to start again', async t => {
  const cases: Array<[string, CallbackOutcome, string]> = [
    ['a link whose login is done', sdk('missing_transaction', 'Invalid state'),
      'This login link was already used or is stale.'],
    ['a link from another login', sdk('state_mismatch', 'Invalid state'),
      'This login link was already used or is stale.'],
    ['a code Auth0 no longer takes', sdk('invalid_grant', 'Invalid authorization code'),
      'This login link was already used or is stale.'],
    ['Auth0 refused', auth0('access_denied', 'User did not authorize'),
      'Auth0 did not sign you in: User did not authorize (access_denied).'],
    ['Auth0 refused, no description', auth0('access_denied', ''), 'Auth0 did not sign you in: access_denied.'],
    ['the SDK failed otherwise', sdk('timeout', 'Timeout'), 'The login could not be finished: Timeout (timeout).']
  ]
  for (const [name, callback, words] of cases) {
    const { auth, calls } = fakeAuth()
    const view = renderApp(t, { path: '/callback', session: signedOut, callback, auth })
    t.equal(view.getByRole('alert').textContent, `Login did not complete${words}Start again`, name)
    t.equal(view.getByTestId('auth-state').textContent, 'Not signed in', name)
    fireEvent.click(view.getByRole('button', { name: 'Start again' }))
    t.same(calls.loginWithRedirect, [{ appState: { targetUrl: '/home' } }], `${name}: Start again logs in`)
    view.unmount()
  }
})

t.test('signed in (a stale link opened in a browser with a session): never "Login did not complete"', async t => {
  const callbacks = [sdk('missing_transaction', 'Invalid state'), auth0('access_denied', 'User did not authorize')]
  for (const callback of callbacks) {
    const view = renderApp(t, { path: '/callback', session: signedIn, callback })
    t.equal(document.title, 'Already signed in | Auth0 + Cognito POC')
    t.match(view.getByTestId('auth-state').textContent, alice.email)
    t.notMatch(document.body.textContent, 'Login did not complete')
    t.match(view.getByRole('main').textContent, /\. You are still signed in\.Go to Home$/)
    t.equal(view.getByRole('link', { name: 'Go to Home' }).getAttribute('href'), '/home')
    view.unmount()
  }
})
