import type { MeResult } from '../../api.js'

/** The API's /me body (api/src/schemas): read defensively, since any API can be configured here. */
interface MeBody {
  cognito_result?: {
    user_pool?: { id?: string, name?: string | null }
    federated_user?: FederatedUser | null
  }
}
interface FederatedUser { username: string, status: string | null, enabled: boolean | null, created_at: string | null }

export function MeOutcome ({ result, onLogin }: { result: MeResult, onLogin: () => void }) {
  switch (result.kind) {
    case 'ok':
      return <MeSummary body={result.body} />
    case 'login-required':
      return (
        <div role='alert'>
          <p>Your session has expired or the API did not accept it ({result.reason}).</p>
          <button type='button' onClick={onLogin}>Log in again</button>
        </div>
      )
    case 'unavailable':
      return (
        <p role='alert'>The API answered {result.status} ({result.error}): {result.message}. Try again in a moment.</p>
      )
    case 'network':
      return <p role='alert'>{result.message}</p>
    case 'failed':
      return <p role='alert'>The call failed{result.status ? ` (${result.status})` : ''}: {result.message}</p>
  }
}

/** What a person wants to know first, then the JSON as the API sent it. */
function MeSummary ({ body }: { body: unknown }) {
  const cognito = (body as MeBody | null)?.cognito_result
  const pool = cognito?.user_pool
  const profile = cognito?.federated_user
  return (
    <>
      <h2>What Cognito knows about you</h2>
      <dl data-testid='me-summary'>
        <dt>User pool</dt>
        <dd>{pool?.name ?? 'Unnamed pool'} <code>{pool?.id ?? '?'}</code></dd>
        <dt>Federated profile</dt>
        <dd data-testid='federated-profile'>{profile ? <Profile user={profile} /> : NO_PROFILE}</dd>
      </dl>
      <h3>Raw JSON</h3>
      <pre data-testid='me-result'>{JSON.stringify(body, null, 2)}</pre>
    </>
  )
}

const NO_PROFILE = 'None yet. Cognito creates it the first time you sign in through Cognito with its Auth0 ' +
  'provider. This app signs you in with Auth0 directly, so until then the pool has no profile for you.'

function Profile ({ user }: { user: FederatedUser }) {
  const enabled = user.enabled === null ? null : user.enabled ? 'enabled' : 'disabled'
  const since = typeof user.created_at === 'string' && `since ${user.created_at.slice(0, 10)}`
  const details = [user.status, enabled, since].filter(Boolean)
  return <><code>{user.username}</code>{details.length > 0 && ` (${details.join(', ')})`}</>
}
