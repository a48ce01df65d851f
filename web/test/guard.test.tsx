import t from 'tap'
import { decide } from '../src/components/Guard.js'
import { fakeAuth, installDom, renderApp, signedIn, signedOut } from './helpers/dom.js'

installDom(t)

t.test('routing decisions for signed-out and signed-in visitors', async t => {
  const table: Array<[string, boolean, ReturnType<typeof decide>]> = [
    ['/', false, { action: 'render' }],
    ['/', true, { action: 'redirect', to: '/home' }],
    ['/home', false, { action: 'login', returnTo: '/home' }],
    ['/home', true, { action: 'render' }],
    ['/callback', false, { action: 'render' }],
    ['/callback', true, { action: 'render' }],
    ['/nope', false, { action: 'render' }]
  ]
  for (const [path, signedIn, expected] of table) {
    t.same(decide(path, signedIn), expected, `${path} ${signedIn ? 'signed in' : 'signed out'}`)
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
  const failed = { kind: 'error', error: 'access_denied', description: 'User did not authorize' } as const
  const view = renderApp(t, { path: '/callback', session: signedOut, callback: failed })
  t.match(view.getByRole('alert').textContent, 'access_denied: User did not authorize')
  view.unmount()
  const lost = renderApp(t, { path: '/nope', session: signedIn })
  t.ok(lost.getByRole('heading', { name: 'Page not found' }))
})
