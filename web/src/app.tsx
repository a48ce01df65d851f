import Router, { route } from 'preact-router'
import type { ApiClient } from './api.js'
import { login, logout, type AuthClient } from './auth.js'
import { Header } from './components/Header.js'
import { NavigationContext, Route } from './components/Route.js'
import type { CallbackOutcome } from './pages/Callback/finish-login.js'
import { Callback } from './pages/Callback/index.js'
import { Home } from './pages/Home/index.js'
import { Landing } from './pages/Landing/index.js'
import { NotFound } from './pages/_404.js'
import type { Session } from './session.js'

/**
 * The only place that knows about preact-router (it is unmaintained: a swap stays in this file). Each route
 * declares who may see it: `needsLogin`, `signedInGoesTo`, or neither (anyone).
 */
export function App ({ auth, api, session, callback }: {
  auth: AuthClient
  api: ApiClient
  session: Session
  callback: CallbackOutcome | undefined
}) {
  const onLogin = () => login(auth)
  const navigation = {
    isAuthenticated: session.isAuthenticated,
    redirect: (to: string) => route(to, true),
    login: (returnTo: string) => login(auth, returnTo)
  }
  return (
    <NavigationContext.Provider value={navigation}>
      <Header session={session} onLogout={() => logout(auth)} />
      <main>
        <Router>
          <Route path='/' signedInGoesTo='/home'>
            <Landing onLogin={onLogin} />
          </Route>
          <Route path='/home' needsLogin>
            <Home user={session.user} api={api} onLogin={onLogin} />
          </Route>
          <Route path='/callback'>
            <Callback outcome={callback} isAuthenticated={session.isAuthenticated} onLogin={onLogin} />
          </Route>
          <Route default>
            <NotFound />
          </Route>
        </Router>
      </main>
    </NavigationContext.Provider>
  )
}
