import { createContext, type ComponentChildren } from 'preact'
import { useContext, useEffect } from 'preact/hooks'
import { useTitle } from '../use-title.js'

/**
 * Who may see a route, declared on the route in app.tsx. `needsLogin`: a signed-out visitor is sent to log in and
 * comes back to this URL. `signedInGoesTo`: a page for visitors; a signed-in user goes on to that path instead.
 * Neither: anyone.
 */
export interface Access { needsLogin?: boolean, signedInGoesTo?: string }

type Decision = { action: 'render' } | { action: 'redirect', to: string } | { action: 'login', returnTo: string }

/** What the router does with a route's `access` at `url` for a visitor who is, or is not, signed in. */
export function decide ({ needsLogin, signedInGoesTo }: Access, url: string, isAuthenticated: boolean): Decision {
  if (isAuthenticated && signedInGoesTo) return { action: 'redirect', to: signedInGoesTo }
  if (!isAuthenticated && needsLogin) return { action: 'login', returnTo: url }
  return { action: 'render' }
}

/** What every Route acts with: app.tsx provides it, so the router stays there. */
export interface Navigation {
  isAuthenticated: boolean
  /** Replaces the current URL. */
  redirect: (to: string) => void
  login: (returnTo: string) => void
}
export const NavigationContext = createContext<Navigation | undefined>(undefined)

/**
 * One route of app.tsx's router (`path` or `default`; the router passes the `url` it matched), rendering its page
 * only when its `access` allows.
 */
export function Route ({ url = '/', needsLogin, signedInGoesTo, children }: Access & {
  path?: string
  default?: boolean
  url?: string
  children: ComponentChildren
}) {
  const navigation = useContext(NavigationContext)!
  const decision = decide({ needsLogin, signedInGoesTo }, url, navigation.isAuthenticated)
  useEffect(() => {
    if (decision.action === 'redirect') navigation.redirect(decision.to)
    if (decision.action === 'login') navigation.login(decision.returnTo)
  }, [decision.action])
  return decision.action === 'render' ? <>{children}</> : <Redirecting />
}

function Redirecting () {
  useTitle('Redirecting…')
  return <p class='status' role='status'>Redirecting…</p>
}
