import Router, { route } from 'preact-router'
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient } from './api.js'
import { login, logout, type AuthClient } from './auth.js'
import { Header } from './components/Header.js'
import { NavigationContext, Route } from './components/Route.js'
import type { CallbackOutcome } from './pages/Callback/finish-login.js'
import { Callback } from './pages/Callback/index.js'
import { Home } from './pages/Home/index.js'
import { Landing } from './pages/Landing/index.js'
import { NotFound } from './pages/_404.js'
import { LOGGED_OUT_ELSEWHERE, readSession, signedOut, type Session, type SessionSync } from './session.js'

/**
 * The only place that knows about preact-router (it is unmaintained: a swap stays in this file). Each route
 * declares who may see it: `needsLogin`, `signedInGoesTo`, or neither (anyone). The session starts as main.tsx read
 * it and follows the news of `sync`: a login or a session ended, in this tab or another.
 */
export function App ({ auth, api, session: initial, callback, sync }: {
  auth: AuthClient
  api: ApiClient
  session: Session
  callback: CallbackOutcome | undefined
  sync: SessionSync
}) {
  const [session, setSession] = useState(initial)
  useEffect(() => sync.listen(async news => {
    if (news.type === 'ended') {
      // The SDK's cache too (in localStorage it is the other tabs' as well): nothing left to restore on a reload.
      await auth.logout({ openUrl: false })
      setSession(signedOut(news.reason))
    } else {
      await auth.checkSession() // picks up the new login: from localStorage, or Auth0's session (the iframe)
      const now = await readSession(auth)
      if (now.isAuthenticated) setSession(now)
    }
  }), [])
  const onLogin = () => login(auth)
  const navigation = {
    isAuthenticated: session.isAuthenticated,
    redirect: (to: string) => route(to, true),
    // After a session ended, a page that needs one goes to the landing page that says why: no login loop.
    login: (returnTo: string) => session.ended ? route('/', true) : login(auth, returnTo)
  }
  const onLogout = () => {
    sync.tellOthers({ type: 'ended', reason: LOGGED_OUT_ELSEWHERE })
    return logout(auth)
  }
  return (
    <NavigationContext.Provider value={navigation}>
      <Header session={session} onLogout={onLogout} />
      <main>
        <Router>
          <Route path='/' signedInGoesTo='/home'>
            <Landing onLogin={onLogin} ended={session.ended} />
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
