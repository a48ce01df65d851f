import { fireEvent } from '@testing-library/preact/pure'
import t from 'tap'
import { alice, fakeAuth, installDom, renderApp, signedIn, signedOut } from './helpers/dom.js'

installDom(t)

t.test('one Log out, in the header; it ends the Auth0 session and comes back to the app', async t => {
  const { auth, calls } = fakeAuth()
  const view = renderApp(t, { path: '/home', session: signedIn, auth })
  t.equal(view.getByRole('banner').textContent, `Auth0 + Cognito POCSigned in as ${alice.email}Log out`)
  t.equal(view.getAllByRole('button', { name: 'Log out' }).length, 1)
  fireEvent.click(view.getByRole('button', { name: 'Log out' }))
  t.same(calls.logout, [{ logoutParams: { returnTo: 'http://localhost:3000' } }])
})

t.test('signed out: the header says so and offers no Log out', async t => {
  const view = renderApp(t, { path: '/', session: signedOut })
  t.equal(view.getByRole('banner').textContent, 'Auth0 + Cognito POCNot signed in')
  t.equal(view.queryAllByRole('button', { name: 'Log out' }).length, 0)
})

t.test('each route names itself in document.title', async t => {
  const failed = { kind: 'error', from: 'auth0', error: 'access_denied', description: '' } as const
  const routes: Array<[string, Parameters<typeof renderApp>[1], string]> = [
    ['start page', { path: '/', session: signedOut }, 'Sign in | Auth0 + Cognito POC'],
    ['home', { path: '/home', session: signedIn }, 'Home | Auth0 + Cognito POC'],
    ['on the way to the login', { path: '/home', session: signedOut }, 'Redirecting… | Auth0 + Cognito POC'],
    ['failed callback', { path: '/callback', session: signedOut, callback: failed },
      'Login did not complete | Auth0 + Cognito POC'],
    ['failed callback, signed in', { path: '/callback', session: signedIn, callback: failed },
      'Already signed in | Auth0 + Cognito POC'],
    ['bare callback', { path: '/callback', session: signedOut }, 'Nothing to finish | Auth0 + Cognito POC'],
    ['unknown path', { path: '/nope', session: signedIn }, 'Page not found | Auth0 + Cognito POC']
  ]
  for (const [name, options, title] of routes) {
    const view = renderApp(t, options)
    t.equal(document.title, title, name)
    view.unmount()
  }
})
