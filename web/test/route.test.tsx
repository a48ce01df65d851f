import t from 'tap'
import { decide } from '../src/components/Route.js'
import { fakeAuth, installDom, renderApp, signedIn, signedOut } from './helpers/dom.js'

installDom(t)

t.test('what a route\'s declared access means for signed-out and signed-in visitors', async t => {
  const table: Array<[string, Parameters<typeof decide>[0], boolean, ReturnType<typeof decide>]> = [
    ['for visitors', { signedInGoesTo: '/home' }, false, { action: 'render' }],
    ['for visitors', { signedInGoesTo: '/home' }, true, { action: 'redirect', to: '/home' }],
    ['needs a login', { needsLogin: true }, false, { action: 'login', returnTo: '/here?tab=2' }],
    ['needs a login', { needsLogin: true }, true, { action: 'render' }],
    ['for anyone', {}, false, { action: 'render' }],
    ['for anyone', {}, true, { action: 'render' }]
  ]
  for (const [name, access, signedIn, expected] of table) {
    t.same(decide(access, '/here?tab=2', signedIn), expected, `${name}, ${signedIn ? 'signed in' : 'signed out'}`)
  }
})

t.test('/home signed out: the page is not rendered, the login starts and comes back to /home', async t => {
  const { auth, calls } = fakeAuth()
  const view = renderApp(t, { path: '/home', session: signedOut, auth })
  t.equal(view.getByRole('main').textContent, 'Redirecting…', 'Home stays hidden')
  t.same(calls.loginWithRedirect, [{ appState: { targetUrl: '/home' } }])
})

t.test('/ signed in: redirected to /home, replacing the history entry', async t => {
  const { auth, calls } = fakeAuth()
  const view = renderApp(t, { path: '/', session: signedIn, auth })
  await view.findByRole('heading', { name: 'Home' })
  t.equal(window.location.pathname, '/home')
  t.equal(window.history.length, 1, 'no entry added: Back does not bounce through /')
  t.same(calls.loginWithRedirect, [])
})

t.test('/ signed out: the start page, whose button logs in towards /home', async t => {
  const { auth, calls } = fakeAuth()
  const view = renderApp(t, { path: '/', session: signedOut, auth })
  view.getByRole('button', { name: 'Login with Auth0' }).click()
  t.same(calls.loginWithRedirect, [{ appState: { targetUrl: '/home' } }])
})

t.test('/callback and unknown paths render for anyone', async t => {
  const failed = {
    kind: 'error', from: 'auth0', error: 'access_denied', description: 'User did not authorize'
  } as const
  for (const session of [signedOut, signedIn]) {
    const { auth, calls } = fakeAuth()
    const view = renderApp(t, { path: '/callback', session, callback: failed, auth })
    t.match(view.getByRole('main').textContent, 'Auth0 did not sign you in: User did not authorize (access_denied)')
    view.unmount()
    const lost = renderApp(t, { path: '/nope', session, auth })
    t.ok(lost.getByRole('heading', { name: 'Page not found' }))
    lost.unmount()
    t.same(calls.loginWithRedirect, [], 'no login started')
  }
})
