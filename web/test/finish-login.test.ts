import t from 'tap'
import type { AuthClient } from '../src/auth.js'
import { finishLogin, safeTarget } from '../src/pages/Callback/finish-login.js'

function fakeAuth (handle: (url?: string) => Promise<unknown>) {
  const calls: string[] = []
  const auth = {
    handleRedirectCallback: async (url?: string) => { calls.push(url ?? ''); return handle(url) }
  } as unknown as AuthClient
  return { auth, calls }
}

function recorder () {
  const urls: string[] = []
  return { urls, replace: (path: string) => { urls.push(path) } }
}

t.test('code + state: exchanged once, URL cleaned, back to appState.targetUrl', async t => {
  const { auth, calls } = fakeAuth(async () => ({ appState: { targetUrl: '/home' } }))
  const history = recorder()
  const url = new URL('http://localhost:3000/callback?code=abc&state=xyz')
  const [first, second] = await Promise.all([
    finishLogin(auth, url, history.replace), finishLogin(auth, url, history.replace)
  ])
  t.same(first, { kind: 'signed-in', target: '/home' })
  t.equal(second, first, 'a second call gets the first outcome')
  t.same(calls, ['http://localhost:3000/callback?code=abc&state=xyz'], 'handleRedirectCallback ran exactly once')
  t.same(history.urls, ['/home'])
})

t.test('only code, or only state: nothing is exchanged', async t => {
  for (const search of ['?code=abc', '?state=xyz', '']) {
    const { auth, calls } = fakeAuth(async () => ({}))
    const outcome = await finishLogin(auth, new URL(`http://localhost:3000/callback${search}`), () => {})
    t.same(outcome, { kind: 'nothing-to-do' }, search || 'no params')
    t.equal(calls.length, 0)
  }
})

t.test('error params from Auth0 are shown, not exchanged', async t => {
  const { auth, calls } = fakeAuth(async () => ({}))
  const history = recorder()
  const url = new URL('http://localhost:3000/callback?state=xyz')
  url.searchParams.set('error', 'access_denied')
  url.searchParams.set('error_description', 'User did not authorize')
  const outcome = await finishLogin(auth, url, history.replace)
  t.same(outcome, { kind: 'error', from: 'auth0', error: 'access_denied', description: 'User did not authorize' })
  t.equal(calls.length, 0)
  t.same(history.urls, ['/callback'], 'parameters removed from the address bar')
})

t.test('an SDK failure (e.g. Invalid state) becomes a shown error', async t => {
  const { auth } = fakeAuth(async () => { throw Object.assign(new Error('Invalid state'), { error: 'invalid_state' }) })
  const history = recorder()
  const url = new URL('http://localhost:3000/callback?code=abc&state=stale')
  const outcome = await finishLogin(auth, url, history.replace)
  t.same(outcome, { kind: 'error', from: 'sdk', error: 'invalid_state', description: 'Invalid state' })
  t.same(history.urls, ['/callback'])
})

t.test('appState cannot turn the callback into an open redirect', async t => {
  t.equal(safeTarget('/home?tab=1'), '/home?tab=1')
  const targets = ['https://evil.example.com', '//evil.example.com', '/\\evil.example.com', 'javascript:alert(1)']
  for (const target of [...targets, undefined, 42]) {
    t.equal(safeTarget(target), '/home', String(target))
  }
  const { auth } = fakeAuth(async () => ({ appState: { targetUrl: '//evil.example.com/' } }))
  const outcome = await finishLogin(auth, new URL('http://localhost:3000/callback?code=a&state=b'), () => {})
  t.same(outcome, { kind: 'signed-in', target: '/home' })
})
