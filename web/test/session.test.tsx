import { fireEvent, waitFor } from '@testing-library/preact/pure'
import t from 'tap'
import type { AuthClient } from '../src/auth.js'
import { endingDeadSessions, readSession } from '../src/session.js'
import { alice, fakeAuth, fakeTabs, installDom, renderApp, signedIn, signedOut } from './helpers/dom.js'

installDom(t)

/** A client whose token calls fail as the SDK's do when the session is gone (`error` is the OAuth code). */
function deadAuth (error: string) {
  const { auth, calls } = fakeAuth()
  auth.getTokenSilently = (async () => { throw Object.assign(new Error(error), { error }) }) as never
  return { auth, calls }
}

const path = () => window.location.pathname

/** /home, as main.tsx wires it, whose token calls fail with `error`; "Call Protected Backend /me" clicked. */
function callMeWith (t: Parameters<typeof renderApp>[0], error: string) {
  const { auth, calls } = deadAuth(error)
  const tabs = fakeTabs()
  const { sync } = tabs
  const view = renderApp(t, { path: '/home', session: signedIn, auth: endingDeadSessions(auth, sync), sync })
  fireEvent.click(view.getByRole('button', { name: 'Call Protected Backend /me' }))
  return { view, calls, tabs }
}

t.test('a refresh token refused during a call: signed out in every tab, the landing page says why', async t => {
  const { view, calls, tabs } = callMeWith(t, 'invalid_grant')
  const alert = await view.findByTestId('session-ended')
  t.match(alert.textContent, /^Your session has ended\. Auth0 no longer accepts this session.* Log in again to go on\./)
  t.equal(path(), '/')
  t.equal(view.getByTestId('auth-state').textContent, 'Not signed in')
  t.same(calls.logout, [{ openUrl: false }], "the SDK's cache is cleared, without leaving the app")
  t.same(calls.loginWithRedirect, [], 'nobody is sent to Auth0 unasked')
  t.match(tabs.posted, [{ type: 'ended', reason: /^Auth0 no longer accepts/ }], 'the other tabs are told')
  fireEvent.click(view.getByRole('button', { name: 'Login with Auth0' }))
  t.equal(calls.loginWithRedirect.length, 1, 'Log in again is one click')
})

t.test('an error that is not a dead session leaves the session alone', async t => {
  const { view, calls, tabs } = callMeWith(t, 'timeout')
  await view.findByTestId('me-outcome')
  t.equal(path(), '/home')
  t.same([calls.logout, tabs.posted], [[], []])
})

t.test('logged out in another tab: this one leaves /home and says so', async t => {
  const { auth, calls } = fakeAuth()
  const tabs = fakeTabs()
  const view = renderApp(t, { path: '/home', session: signedIn, auth, sync: tabs.sync })
  tabs.receive({ type: 'ended', reason: 'You logged out in another tab.' })
  t.match((await view.findByTestId('session-ended')).textContent, 'You logged out in another tab.')
  t.equal(path(), '/')
  t.same(calls.logout, [{ openUrl: false }])
})

t.test('Log out here tells the other tabs before leaving for Auth0', async t => {
  const { auth, calls } = fakeAuth()
  const tabs = fakeTabs()
  const view = renderApp(t, { path: '/home', session: signedIn, auth, sync: tabs.sync })
  fireEvent.click(view.getByRole('button', { name: 'Log out' }))
  t.same(tabs.posted, [{ type: 'ended', reason: 'You logged out in another tab.' }])
  t.same(calls.logout, [{ logoutParams: { returnTo: 'http://localhost:3000' } }])
})

t.test('logged in in another tab: the landing page notices and goes on to /home', async t => {
  const { auth } = fakeAuth()
  let checked = 0
  auth.checkSession = async () => { checked++ }
  const tabs = fakeTabs()
  const view = renderApp(t, { path: '/', session: signedOut, auth, sync: tabs.sync })
  tabs.receive({ type: 'login' })
  await waitFor(() => { if (path() !== '/home') throw new Error('still on the landing page') })
  t.equal(checked, 1, 'the SDK picks the new login up')
  t.equal(view.getByTestId('auth-state').textContent, `Signed in as ${alice.email}`)
})

t.test('at start-up, a cached login whose refresh token is dead counts as none, with the reason', async t => {
  const { auth, calls } = deadAuth('missing_refresh_token')
  t.same(await readSession(auth), {
    isAuthenticated: false, user: undefined, ended: 'This browser no longer holds a refresh token for this session.'
  })
  t.same(calls.logout, [{ openUrl: false }], 'and the cache is cleared, so a reload does not say it again')
  const failing: AuthClient = deadAuth('network_error').auth
  t.same(await readSession(failing), signedIn, 'a token call failing otherwise is no reason to sign out')
})
