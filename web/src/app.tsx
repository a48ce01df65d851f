import Router, { route } from 'preact-router'
import { login, logout, type AuthClient } from './auth.js'
import { Guard } from './components/Guard.js'
import { Header } from './components/Header.js'
import type { WebConfig } from './config.js'
import type { CallbackOutcome } from './pages/Callback/finish-login.js'
import { Callback } from './pages/Callback/index.js'
import { Home } from './pages/Home/index.js'
import { Landing } from './pages/Landing/index.js'
import { NotFound } from './pages/_404.js'
import type { Session } from './session.js'

/** The only place that knows about preact-router (it is unmaintained: a swap stays in this file). */
export function App ({ auth, config, session, callback }: {
  auth: AuthClient
  config: WebConfig
  session: Session
  callback: CallbackOutcome | undefined
}) {
  const guard = {
    isAuthenticated: session.isAuthenticated,
    redirect: (to: string) => route(to, true),
    login: (returnTo: string) => login(auth, returnTo)
  }
  return (
    <>
      <Header session={session} onLogout={() => logout(auth)} />
      <main>
        <Router>
          <Guard path='/' {...guard}>
            <Landing onLogin={() => login(auth)} />
          </Guard>
          <Guard path='/home' {...guard}>
            <Home user={session.user} auth={auth} config={config} onLogin={() => login(auth)} />
          </Guard>
          <Callback path='/callback' outcome={callback} />
          <NotFound default />
        </Router>
      </main>
    </>
  )
}
