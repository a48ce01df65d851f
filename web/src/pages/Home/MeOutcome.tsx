import type { ApiResult, FederatedUser, MeAnswer } from '../../api.js'

export function MeOutcome ({ result, onLogin }: { result: ApiResult<MeAnswer>, onLogin: () => void }) {
  return result.kind === 'ok' ? <MeSummary body={result.body} /> : <ApiProblem result={result} onLogin={onLogin} />
}

type Problem = Exclude<ApiResult, { kind: 'ok' }>

/** Why a call produced no answer to show, and what the person can do about it. */
export function ApiProblem ({ result, onLogin }: { result: Problem, onLogin: () => void }) {
  switch (result.kind) {
    case 'login-required':
      return (
        <div role='alert'>
          <p>Your session has expired or the API did not accept it ({result.reason}).</p>
          <button type='button' onClick={onLogin}>Log in again</button>
        </div>
      )
    case 'forbidden':
      return <p role='alert'>The API refused this call for your account (403): {result.message}.</p>
    case 'not-found':
      return <p role='alert'>The API found nothing here (404): {result.message}.</p>
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
function MeSummary ({ body }: { body: MeAnswer }) {
  const { user_pool: pool, federated_user: profile } = body.cognito_result
  return (
    <>
      <h2>What Cognito knows about you</h2>
      <dl data-testid='me-summary'>
        <dt>User pool</dt>
        <dd>{pool.name ?? 'Unnamed pool'} <code>{pool.id}</code></dd>
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

export function Profile ({ user }: { user: FederatedUser }) {
  const enabled = user.enabled === null ? null : user.enabled ? 'enabled' : 'disabled'
  const since = typeof user.created_at === 'string' && `since ${user.created_at.slice(0, 10)}`
  const details = [user.status, enabled, since].filter(Boolean)
  return <><code>{user.username}</code>{details.length > 0 && ` (${details.join(', ')})`}</>
}
