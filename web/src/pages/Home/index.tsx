import type { User } from '@auth0/auth0-spa-js'
import { useState } from 'preact/hooks'
import { callMe, type MeResult } from '../../api.js'
import type { AuthClient } from '../../auth.js'
import type { WebConfig } from '../../config.js'

interface Props { user: User | undefined, auth: AuthClient, config: WebConfig, onLogin: () => void, onLogout: () => void }

export function Home ({ user, auth, config, onLogin, onLogout }: Props) {
  const [loading, setLoading] = useState(false)
  const [result, setResult] = useState<MeResult | null>(null)

  async function onCall () {
    setLoading(true)
    setResult(await callMe({ getToken: () => auth.getTokenSilently(), baseUrl: config.backendBaseUrl }))
    setLoading(false)
  }

  return (
    <section>
      <h1>Home</h1>
      <div class='profile'>
        {user?.picture && <img src={user.picture} alt='' width={64} height={64} referrerpolicy='no-referrer' />}
        <dl>
          <dt>Name</dt><dd data-testid='name'>{user?.name ?? '—'}</dd>
          <dt>Email</dt><dd data-testid='email'>{user?.email ?? '—'}</dd>
          <dt>Auth0 sub</dt><dd data-testid='sub'><code>{user?.sub}</code></dd>
          <dt>Status</dt><dd>Authenticated</dd>
        </dl>
      </div>
      <p>
        <button type='button' onClick={onCall} disabled={loading}>Call Protected Backend /me</button>{' '}
        <button type='button' class='secondary' onClick={onLogout}>Log out</button>
      </p>
      {loading && <p class='status'>Calling {config.backendBaseUrl}/me…</p>}
      {!loading && result && <MeOutcome result={result} onLogin={onLogin} />}
    </section>
  )
}

function MeOutcome ({ result, onLogin }: { result: MeResult, onLogin: () => void }) {
  switch (result.kind) {
    case 'ok':
      return <pre data-testid='me-result'>{JSON.stringify(result.body, null, 2)}</pre>
    case 'login-required':
      return (
        <div role='alert'>
          <p>Your session has expired or the API did not accept it ({result.reason}).</p>
          <button type='button' onClick={onLogin}>Log in again</button>
        </div>
      )
    case 'unavailable':
      return <p role='alert'>The API answered {result.status} ({result.error}): {result.message}. Try again in a moment.</p>
    case 'network':
      return <p role='alert'>{result.message}</p>
    case 'failed':
      return <p role='alert'>The call failed{result.status ? ` (${result.status})` : ''}: {result.message}</p>
  }
}
