import type { Session } from '../app.js'

export function Header ({ session, onLogout }: { session: Session, onLogout: () => void }) {
  return (
    <header>
      <a class='brand' href='/'>Auth0 + Cognito POC</a>
      <span class='auth-state' data-testid='auth-state'>
        {session.isAuthenticated ? `Signed in as ${session.user?.email ?? session.user?.name ?? session.user?.sub}` : 'Not signed in'}
      </span>
      {session.isAuthenticated && <button type='button' class='link' onClick={onLogout}>Log out</button>}
    </header>
  )
}
