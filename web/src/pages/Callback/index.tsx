import type { CallbackOutcome } from '../../callback.js'

export function Callback ({ outcome }: { path: string, outcome: CallbackOutcome | undefined }) {
  if (outcome?.kind === 'error') {
    return (
      <section role='alert'>
        <h1>Login did not complete</h1>
        <p><strong>{outcome.error}</strong>{outcome.description && `: ${outcome.description}`}</p>
        <p><a href='/'>Back to the start page</a></p>
      </section>
    )
  }
  return (
    <section>
      <h1>Nothing to finish here</h1>
      <p>This page completes a login started from the app. <a href='/'>Go to the start page</a></p>
    </section>
  )
}
