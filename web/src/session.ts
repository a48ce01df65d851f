import type { User } from '@auth0/auth0-spa-js'
import type { AuthClient } from './auth.js'

/**
 * Who is signed in: the header and the guard read the same answer. `ended`: why a session this tab had is over
 * (the landing page says it beside Log in).
 */
export interface Session { isAuthenticated: boolean, user: User | undefined, ended?: string }

export const signedOut = (ended?: string): Session => ({ isAuthenticated: false, user: undefined, ended })

/** getTokenSilently's answers that mean the session is gone, in words for the person whose session it was. */
const DEAD: Record<string, string> = {
  invalid_grant: 'Auth0 no longer accepts this session: it expired, was revoked, or its refresh token was used twice.',
  missing_refresh_token: 'This browser no longer holds a refresh token for this session.',
  login_required: 'Auth0 says you are no longer signed in there.'
}
export const LOGGED_OUT_ELSEWHERE = 'You logged out in another tab.'

/** What one tab tells the others (and itself): a login happened, or the session ended and why. */
export type SessionNews = { type: 'login' } | { type: 'ended', reason: string }

/** Tabs of this app agree through the platform (BroadcastChannel): no polling of Auth0. */
export interface SessionSync {
  /** To the other tabs only. */
  tellOthers: (news: SessionNews) => void
  /** To this tab and the others. */
  tellAll: (news: SessionNews) => void
  /** Every piece of news for this tab, from it or from another; returns the unsubscribe. */
  listen: (listener: (news: SessionNews) => void) => () => void
}

export function createSessionSync (channel: Pick<BroadcastChannel, 'postMessage' | 'addEventListener'>): SessionSync {
  const listeners = new Set<(news: SessionNews) => void>()
  const deliver = (news: SessionNews) => { for (const listener of listeners) listener(news) }
  channel.addEventListener('message', event => deliver((event as MessageEvent<SessionNews>).data))
  const tellOthers = (news: SessionNews) => channel.postMessage(news)
  return {
    tellOthers,
    tellAll: news => { deliver(news); tellOthers(news) },
    listen: listener => { listeners.add(listener); return () => listeners.delete(listener) }
  }
}

/**
 * The client the app uses: `auth`, but a getTokenSilently that fails for a dead session (expired, revoked or reused
 * refresh token, no Auth0 session) ends it in every tab. The caller still gets the error.
 */
export function endingDeadSessions (auth: AuthClient, sync: SessionSync): AuthClient {
  const getTokenSilently = (async (...args: Parameters<AuthClient['getTokenSilently']>) => {
    try {
      return await auth.getTokenSilently(...args)
    } catch (err) {
      const reason = DEAD[(err as { error?: string }).error ?? '']
      if (reason) sync.tellAll({ type: 'ended', reason })
      throw err
    }
  }) as AuthClient['getTokenSilently']
  // The SDK's own methods stay bound to it: its internal token calls (checkSession's) are not the app's.
  return new Proxy(auth, {
    get (target, key) {
      if (key === 'getTokenSilently') return getTokenSilently
      const value = (target as unknown as Record<PropertyKey, unknown>)[key]
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}

/**
 * Who is signed in, read at start-up and when another tab reports a login. A cached login whose tokens can no longer
 * be renewed counts as none (getTokenSilently answers from the cache when it can: no request then).
 */
export async function readSession (auth: AuthClient): Promise<Session> {
  if (!await auth.isAuthenticated()) return signedOut()
  try {
    await auth.getTokenSilently()
  } catch (err) {
    const reason = DEAD[(err as { error?: string }).error ?? '']
    if (reason) {
      await auth.logout({ openUrl: false }) // the SDK's cache and its "is authenticated" cookie: a reload stays out
      return signedOut(reason)
    }
  }
  return { isAuthenticated: true, user: await auth.getUser() }
}
