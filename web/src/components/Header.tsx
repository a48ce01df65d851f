import type { Session } from '../session.js'

/** The app's one Log out: it ends the Auth0 session too (see auth.ts). */
export function Header ({ session, onLogout }: { session: Session, onLogout: () => void }) {
  const who = session.user?.email ?? session.user?.name ?? session.user?.sub
  return (
    <header>
      {/* On a phone only the short forms are shown, so the line holds the email; screen readers hear it all. */}
      <a class='brand' href='/'>Auth0 + Cognito<span class='wide-only'> POC</span></a>
      <span class='auth-state' data-testid='auth-state' title={who}>
        {session.isAuthenticated ? <><span class='wide-only'>Signed in as </span>{who}</> : 'Not signed in'}
      </span>
      {session.isAuthenticated && <button type='button' class='link' onClick={onLogout}>Log out</button>}
    </header>
  )
}
