import { useTitle } from '../../use-title.js'
import type { CallbackOutcome } from './finish-login.js'

type Failure = Extract<CallbackOutcome, { kind: 'error' }>

interface Props { outcome: CallbackOutcome | undefined, isAuthenticated: boolean, onLogin: () => void }

export function Callback ({ outcome, isAuthenticated, onLogin }: Props) {
  if (outcome?.kind !== 'error') return <NothingToFinish />
  // A stale link opened in a browser that is still signed in: the session stands, so no "did not complete" here.
  return isAuthenticated ? <StillSignedIn failure={outcome} /> : <LoginFailed failure={outcome} onLogin={onLogin} />
}

/**
 * auth0-spa-js' codes for a link whose login was already finished, or started in another tab or browser
 * (`missing_transaction`, `state_mismatch`: both say "Invalid state"), or whose code Auth0 no longer takes.
 */
const STALE = new Set(['missing_transaction', 'state_mismatch', 'invalid_grant'])

/** What went wrong, in words a person who just tried to log in can act on. */
function inPlainWords ({ from, error, description }: Failure): string {
  if (from === 'sdk' && STALE.has(error)) return 'This login link was already used or is stale'
  const said = description && description !== error ? `${description} (${error})` : error
  return from === 'auth0' ? `Auth0 did not sign you in: ${said}` : `The login could not be finished: ${said}`
}

function LoginFailed ({ failure, onLogin }: { failure: Failure, onLogin: () => void }) {
  useTitle('Login did not complete')
  return (
    <section role='alert'>
      <h1>Login did not complete</h1>
      <p class='quoted'>{inPlainWords(failure)}.</p>
      <p><button type='button' onClick={onLogin}>Start again</button></p>
    </section>
  )
}

function StillSignedIn ({ failure }: { failure: Failure }) {
  useTitle('Already signed in')
  return (
    <section>
      <h1>Already signed in</h1>
      <p class='quoted'>{inPlainWords(failure)}. You are still signed in.</p>
      <p><a href='/home'>Go to Home</a></p>
    </section>
  )
}

function NothingToFinish () {
  useTitle('Nothing to finish')
  return (
    <section>
      <h1>Nothing to finish here</h1>
      <p>This page completes a login started from the app. <a href='/'>Go to the start page</a></p>
    </section>
  )
}
