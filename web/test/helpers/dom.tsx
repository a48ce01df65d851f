/**
 * Component tests render the real app with Preact's real renderer into a happy-dom window. The
 * DOM globals exist only while a test file runs: installDom puts them on globalThis and takes them
 * off again, restoring whatever Node had under those names.
 */
import { Auth0Client } from '@auth0/auth0-spa-js'
import { cleanup, render } from '@testing-library/preact/pure'
import { Window } from 'happy-dom'
import type { Test } from 'tap'
import { createApiClient, type ApiClient } from '../../src/api.js'
import { App } from '../../src/app.js'
import type { AuthClient } from '../../src/auth.js'
import type { CallbackOutcome } from '../../src/pages/Callback/finish-login.js'
import { createSessionSync, type Session, type SessionSync } from '../../src/session.js'

const GLOBALS = [
  'window', 'document', 'navigator', 'location', 'history', 'addEventListener', 'removeEventListener',
  'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame', 'MutationObserver',
  'Node', 'Element', 'HTMLElement', 'Text', 'DocumentFragment', 'Event', 'CustomEvent', 'MouseEvent', 'FocusEvent'
] as const

/** One window per test file: preact-router binds its popstate and link listeners to the first one it sees. */
export function installDom (t: Test, url = 'http://localhost:3000/') {
  const window = new Window({ url })
  const saved = GLOBALS.map(key => [key, Object.getOwnPropertyDescriptor(globalThis, key)] as const)
  for (const key of GLOBALS) {
    const value = window[key as keyof Window]
    Object.defineProperty(globalThis, key, {
      value: typeof value === 'function' && /^[a-z]/.test(key) ? value.bind(window) : value,
      configurable: true,
      writable: true
    })
  }
  t.teardown(async () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor)
      else delete (globalThis as Record<string, unknown>)[key]
    }
    await window.happyDOM.close()
  })
  return window
}

/** Where the API is unless a test serves one: the discard port, where nothing answers. */
const NO_API = 'http://127.0.0.1:9'

export const alice = { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice Example' }

/**
 * The methods the app calls on the SDK's client, recording what the app asked for. Why not local/'s identity
 * provider: a component test needs any session state at once, without a browser redirect; e2e/ drives that one.
 * `createFetcher` is the SDK's own, so its Fetcher really sets the headers and handles nonces, over fake key
 * operations: a "proof" names the request and token it was made for, and its nonce. `tokenType` is what the
 * identity provider answered (`DPoP` when it bound the token to the key).
 */
export function fakeAuth ({ tokenType = 'DPoP' }: { tokenType?: 'DPoP' | 'Bearer' } = {}) {
  const calls = {
    loginWithRedirect: [] as unknown[],
    logout: [] as unknown[],
    getTokenSilently: [] as unknown[],
    createFetcher: 0,
    /** Nonces by the id the fetcher keeps them under (undefined: Auth0's own). */
    nonces: new Map<string | undefined, string>()
  }
  const auth = {
    isAuthenticated: async () => true,
    getUser: async () => alice,
    getTokenSilently: async (options?: { detailedResponse?: boolean }) => {
      calls.getTokenSilently.push(options)
      return options?.detailedResponse
        ? { access_token: 'the-access-token', token_type: tokenType, id_token: 'the-id-token', expires_in: 3600 }
        : 'the-access-token'
    },
    checkSession: async () => {},
    handleRedirectCallback: async () => ({ appState: { targetUrl: '/home' } }),
    loginWithRedirect: async (options: unknown) => { calls.loginWithRedirect.push(options) },
    logout: async (options: unknown) => { calls.logout.push(options) },
    createFetcher (fetcherConfig: unknown) {
      calls.createFetcher++
      return Auth0Client.prototype.createFetcher.call(this, fetcherConfig as never)
    },
    options: { useDpop: true },
    getDpopNonce: async (id?: string) => calls.nonces.get(id),
    setDpopNonce: async (nonce: string, id?: string) => { calls.nonces.set(id, nonce) },
    generateDpopProof: async ({ method, url, accessToken, nonce }: Record<string, string | undefined>) =>
      `proof ${method} ${url} ${accessToken}${nonce ? ` nonce=${nonce}` : ''}`
  } as unknown as AuthClient
  return { auth, calls }
}

/**
 * Renders the whole app, routes and all, at `path`, with the API client main.tsx would build for `auth`;
 * unmounted when the test ends.
 */
export function renderApp (t: Test, {
  path, session, auth = fakeAuth().auth, callback, backendBaseUrl = NO_API, useDpop = false, sync = fakeTabs().sync,
  api = createApiClient(auth, { backendBaseUrl, useDpop })
}: {
  /** Built by the test itself when it needs other settings, a fake fetch or a clock. */
  api?: ApiClient
  sync?: SessionSync
  path: string
  session: Session
  auth?: AuthClient
  callback?: CallbackOutcome
  backendBaseUrl?: string
  useDpop?: boolean
}) {
  window.history.replaceState(null, '', path)
  t.teardown(cleanup)
  return render(<App auth={auth} api={api} session={session} callback={callback} sync={sync} />)
}

export const signedIn: Session = { isAuthenticated: true, user: alice }
export const signedOut: Session = { isAuthenticated: false, user: undefined }

/** The other tabs, as a BroadcastChannel shows them: what this tab posted to them, and news arriving from them. */
export function fakeTabs () {
  const posted: unknown[] = []
  const channel = Object.assign(new EventTarget(), { postMessage: (news: unknown) => { posted.push(news) } })
  const sync = createSessionSync(channel)
  const receive = (data: unknown) => channel.dispatchEvent(new MessageEvent('message', { data }))
  return { sync, posted, receive }
}
