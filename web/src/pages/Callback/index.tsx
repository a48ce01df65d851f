import { useTitle } from '../../use-title.js'
import type { CallbackOutcome } from './finish-login.js'

export function Callback ({ outcome }: { path: string, outcome: CallbackOutcome | undefined }) {
  if (outcome?.kind === 'error') return <LoginFailed error={outcome.error} description={outcome.description} />
  return <NothingToFinish />
}

function LoginFailed ({ error, description }: { error: string, description: string }) {
  useTitle('Login did not complete')
  return (
    <section role='alert'>
      <h1>Login did not complete</h1>
      <p><strong>{error}</strong>{description && `: ${description}`}</p>
      <p><a href='/'>Back to the start page</a></p>
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
