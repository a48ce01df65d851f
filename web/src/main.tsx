import { render } from 'preact'
import { createApiClient } from './api.js'
import { App } from './app.js'
import { createAuthClient } from './auth.js'
import { readConfig, type WebConfig } from './config.js'
import { finishLogin } from './pages/Callback/finish-login.js'
import { ConfigError, StartupError } from './pages/ConfigError/index.js'
import { createSessionSync, endingDeadSessions, readSession } from './session.js'
import './style.css'

const root = document.getElementById('app')!

async function start (config: WebConfig) {
  render(<p class='status' role='status'>Loading…</p>, root)
  try {
    // The one Auth0 client and the one API client, created before the first real render. A token call that finds
    // the session dead ends it in every tab of the app (they share one channel).
    const sync = createSessionSync(new BroadcastChannel('auth0-session'))
    const auth = endingDeadSessions(await createAuthClient(config), sync)
    const api = createApiClient(auth, config)
    const url = new URL(window.location.href)
    const callback = url.pathname === '/callback'
      ? await finishLogin(auth, url, path => window.history.replaceState(null, '', path))
      : undefined
    if (callback?.kind === 'signed-in') sync.tellOthers({ type: 'login' })
    const session = await readSession(auth)
    render(<App auth={auth} api={api} session={session} callback={callback} sync={sync} />, root)
  } catch (err) {
    render(<StartupError message={(err as Error).message} />, root)
  }
}

const result = readConfig(import.meta.env)
if (result.ok) start(result.config)
else render(<ConfigError problems={result.problems} />, root)
