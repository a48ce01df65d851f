export type Decision = { action: 'render' } | { action: 'redirect', to: string } | { action: 'login', returnTo: string }

/** Pages that need a signed-in user. */
export const PROTECTED = new Set(['/home'])

/** What the router does with `path` for a visitor who is, or is not, signed in. */
export function decide (path: string, isAuthenticated: boolean): Decision {
  if (path === '/' && isAuthenticated) return { action: 'redirect', to: '/home' }
  if (PROTECTED.has(path) && !isAuthenticated) return { action: 'login', returnTo: path }
  return { action: 'render' }
}
