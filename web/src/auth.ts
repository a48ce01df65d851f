import { createAuth0Client, type Auth0Client } from '@auth0/auth0-spa-js'
import type { WebConfig } from './config.js'

/** The part of the SDK the app uses: the seam the tests fill with a fake. */
export type AuthClient = Pick<Auth0Client,
  'isAuthenticated' | 'getUser' | 'loginWithRedirect' | 'handleRedirectCallback' | 'getTokenSilently' | 'logout' |
  'createFetcher' | 'checkSession' | 'getIdTokenClaims'>

export interface AppState { targetUrl?: string }

/**
 * The app's one Auth0 client. Tokens stay in the SDK's in-memory cache; on a reload the SDK
 * restores the session with a silent `prompt=none` request to Auth0 (see README: third-party cookies).
 * With `useRefreshTokens` the session survives a reload without that request, which browsers blocking third-party
 * cookies break: the SDK asks for `offline_access` and keeps its tokens, the rotating refresh token among them, in
 * localStorage (memory would lose them on a reload, and then the session). No iframe fallback: a dead refresh token
 * must end the session (session.ts), not try the request that cannot work here.
 * With `useDpop`, the SDK keeps a non-extractable key pair in IndexedDB and sends a DPoP proof to Auth0's
 * token endpoint: the access tokens it gets are bound to that key (`token_type: DPoP`, `cnf.jkt`).
 */
export function createAuthClient (config: WebConfig): Promise<AuthClient> {
  return createAuth0Client({
    domain: config.auth0Domain,
    clientId: config.clientId,
    authorizationParams: { audience: config.audience, redirect_uri: config.redirectUri },
    useDpop: config.useDpop,
    ...(config.useRefreshTokens && {
      useRefreshTokens: true, useRefreshTokensFallback: false, cacheLocation: 'localstorage' as const
    }),
    // Fail a silent check in 10 s rather than the SDK's 60 s when Auth0 cannot be reached.
    authorizeTimeoutInSeconds: 10
  })
}

/** Sends the user to Universal Login; afterwards /callback brings them back to `returnTo`. */
export function login (auth: AuthClient, returnTo = '/home') {
  return auth.loginWithRedirect<AppState>({ appState: { targetUrl: returnTo } })
}

/** Ends the Auth0 session too, not only the app's: Auth0 then redirects to the app's root. */
export function logout (auth: AuthClient) {
  return auth.logout({ logoutParams: { returnTo: window.location.origin } })
}
