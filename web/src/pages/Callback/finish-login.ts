import type { AppState, AuthClient } from '../../auth.js'

export type CallbackOutcome =
  | { kind: 'signed-in', target: string }
  /** `from`: Auth0 sent the error in the URL, or the SDK failed to finish (e.g. a link whose login is done). */
  | { kind: 'error', from: 'auth0' | 'sdk', error: string, description: string }
  | { kind: 'nothing-to-do' }

/** Only same-origin paths: `appState` round-trips through the browser and must not become an open redirect. */
export function safeTarget (target: unknown): string {
  return typeof target === 'string' && /^\/(?![/\\])/.test(target) ? target : '/home'
}

const finished = new WeakMap<AuthClient, Promise<CallbackOutcome>>()

/**
 * Finishes the login on /callback. The code is exchanged only when both `code` and `state` are
 * present, and only once per client however often this is called: a second exchange of the same
 * state is what makes the SDK say "Invalid state". The URL loses its parameters either way.
 */
export function finishLogin (
  auth: AuthClient, url: URL, replaceUrl: (path: string) => void
): Promise<CallbackOutcome> {
  let outcome = finished.get(auth)
  if (!outcome) {
    outcome = exchange(auth, url, replaceUrl)
    finished.set(auth, outcome)
  }
  return outcome
}

async function exchange (
  auth: AuthClient, url: URL, replaceUrl: (path: string) => void
): Promise<CallbackOutcome> {
  const params = url.searchParams
  if (params.has('error')) {
    replaceUrl(url.pathname)
    const [error, description] = [params.get('error') ?? '', params.get('error_description') ?? '']
    return { kind: 'error', from: 'auth0', error, description }
  }
  if (!params.has('code') || !params.has('state')) return { kind: 'nothing-to-do' }
  try {
    const { appState } = await auth.handleRedirectCallback<AppState>(url.href)
    const target = safeTarget(appState?.targetUrl)
    replaceUrl(target)
    return { kind: 'signed-in', target }
  } catch (err) {
    replaceUrl(url.pathname)
    const { error = 'callback_failed', error_description: description = (err as Error).message } =
      err as { error?: string, error_description?: string }
    return { kind: 'error', from: 'sdk', error, description }
  }
}
