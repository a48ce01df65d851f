import { cleanup, render } from '@testing-library/preact/pure'
import t from 'tap'
import { readConfig } from '../src/config.js'
import { ConfigError, StartupError } from '../src/pages/ConfigError/index.js'
import { installDom } from './helpers/dom.js'

installDom(t)
t.afterEach(cleanup)

t.test('configuration error: its document.title; an alert naming what is missing and what is unusable', async t => {
  const result = readConfig({ VITE_AUTH0_DOMAIN: 'http://tenant.eu.auth0.com', VITE_AUTH0_USE_DPOP: 'yes' })
  if (result.ok) throw new Error('an incomplete config was accepted')
  const view = render(<ConfigError problems={result.problems} />)
  t.equal(document.title, 'Configuration error | Auth0 + Cognito POC')
  const alert = view.getByRole('alert')
  t.equal(view.getByRole('heading', { level: 1 }).textContent, 'Configuration error')
  t.match(alert.textContent, 'This build of the app cannot start:VITE_AUTH0_DOMAIN must use https')
  t.same(view.getAllByRole('listitem').map(item => item.textContent), result.problems, 'one item per problem')
  t.same([...alert.querySelectorAll('li > code')].map(code => code.textContent), [
    'VITE_AUTH0_DOMAIN', 'VITE_AUTH0_CLIENT_ID', 'VITE_AUTH0_AUDIENCE', 'VITE_AUTH0_REDIRECT_URI',
    'VITE_BACKEND_BASE_URL', 'VITE_AUTH0_USE_DPOP'
  ], 'each names its variable as code')
})

t.test('Auth0 unreachable at startup: its document.title; an alert with the reason and a retry', async t => {
  const view = render(<StartupError message='Timeout when executing fetch' />)
  t.equal(document.title, 'Cannot reach Auth0 | Auth0 + Cognito POC')
  t.equal(view.getByRole('alert').textContent, 'Cannot reach Auth0Timeout when executing fetchTry again')
  t.equal(view.getByRole('link', { name: 'Try again' }).getAttribute('href'), '/')
})
