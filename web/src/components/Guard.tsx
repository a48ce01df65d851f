import type { ComponentChildren } from 'preact'
import { useEffect } from 'preact/hooks'
import { useTitle } from '../use-title.js'

type Decision = { action: 'render' } | { action: 'redirect', to: string } | { action: 'login', returnTo: string }

/** Pages that need a signed-in user. */
const PROTECTED = new Set(['/home'])

/** What the router does with `path` for a visitor who is, or is not, signed in. */
export function decide (path: string, isAuthenticated: boolean): Decision {
  if (path === '/' && isAuthenticated) return { action: 'redirect', to: '/home' }
  if (PROTECTED.has(path) && !isAuthenticated) return { action: 'login', returnTo: path }
  return { action: 'render' }
}

interface GuardProps {
  path: string
  isAuthenticated: boolean
  /** Replaces the current URL: the router's job, so the router stays in app.tsx. */
  redirect: (to: string) => void
  login: (returnTo: string) => void
  children: ComponentChildren
}

/** Renders its page only when `decide` allows it; otherwise redirects or starts the login. */
export function Guard ({ path, isAuthenticated, redirect, login, children }: GuardProps) {
  const decision = decide(path, isAuthenticated)
  useEffect(() => {
    if (decision.action === 'redirect') redirect(decision.to)
    if (decision.action === 'login') login(decision.returnTo)
  }, [decision.action])
  return decision.action === 'render' ? <>{children}</> : <Redirecting />
}

function Redirecting () {
  useTitle('Redirecting…')
  return <p class='status' role='status'>Redirecting…</p>
}
