import type { User } from '@auth0/auth0-spa-js'
import type { ComponentChildren } from 'preact'
import { useEffect } from 'preact/hooks'
import Router, { route, type RoutableProps } from 'preact-router'
import { login, logout, type AuthClient } from './auth.js'
import type { CallbackOutcome } from './callback.js'
import { Header } from './components/Header.js'
import type { WebConfig } from './config.js'
import { decide } from './guard.js'
import { Callback } from './pages/Callback/index.js'
import { Home } from './pages/Home/index.js'
import { Landing } from './pages/Landing/index.js'
import { NotFound } from './pages/_404.js'

export interface Session { isAuthenticated: boolean, user: User | undefined }

interface GuardProps extends RoutableProps { session: Session, auth: AuthClient, children: ComponentChildren }

/** Renders its page only when `decide` allows it; otherwise redirects or starts the login. */
function Guard ({ path = '/', session, auth, children }: GuardProps) {
  const decision = decide(path, session.isAuthenticated)
  useEffect(() => {
    if (decision.action === 'redirect') route(decision.to, true)
    if (decision.action === 'login') login(auth, decision.returnTo)
  }, [decision.action])
  return decision.action === 'render' ? <>{children}</> : <p class='status'>Redirecting…</p>
}

/** The only place that knows about preact-router (it is unmaintained: a swap stays in this file). */
export function App ({ auth, config, session, callback }: {
  auth: AuthClient
  config: WebConfig
  session: Session
  callback: CallbackOutcome | undefined
}) {
  return (
    <>
      <Header session={session} onLogout={() => logout(auth)} />
      <main>
        <Router>
          <Guard path='/' session={session} auth={auth}>
            <Landing onLogin={() => login(auth)} />
          </Guard>
          <Guard path='/home' session={session} auth={auth}>
            <Home user={session.user} auth={auth} config={config} onLogin={() => login(auth)} onLogout={() => logout(auth)} />
          </Guard>
          <Callback path='/callback' outcome={callback} />
          <NotFound default />
        </Router>
      </main>
    </>
  )
}
