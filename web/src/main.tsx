import { render } from 'preact'
import { App } from './app.js'
import { createAuthClient } from './auth.js'
import { readConfig, type WebConfig } from './config.js'
import { finishLogin } from './pages/Callback/finish-login.js'
import { ConfigError, StartupError } from './pages/ConfigError/index.js'
import { readSession } from './session.js'
import './style.css'

const root = document.getElementById('app')!

async function start (config: WebConfig) {
  render(<p class='status' role='status'>Loading…</p>, root)
  try {
    // The one Auth0 client, created before the first real render.
    const auth = await createAuthClient(config)
    const url = new URL(window.location.href)
    const callback = url.pathname === '/callback'
      ? await finishLogin(auth, url, path => window.history.replaceState(null, '', path))
      : undefined
    const session = await readSession(auth)
    render(<App auth={auth} config={config} session={session} callback={callback} />, root)
  } catch (err) {
    render(<StartupError message={(err as Error).message} />, root)
  }
}

const result = readConfig(import.meta.env)
if (result.ok) start(result.config)
else render(<ConfigError problems={result.problems} />, root)
