import { useTitle } from '../../use-title.js'

/** `ended`: why the session this tab had is over, said before the way back in. */
export function Landing ({ onLogin, ended }: { onLogin: () => void, ended?: string | undefined }) {
  useTitle('Sign in')
  return (
    <section>
      <h1>Auth0 + Cognito POC</h1>
      {ended && <p role='alert' data-testid='session-ended'>Your session has ended. {ended} Log in again to go on.</p>}
      <p>
        Sign in with Auth0, then call a protected API that verifies your access token and looks you up
        in an Amazon Cognito user pool federated with the same Auth0 application.
      </p>
      <button type='button' onClick={onLogin}>Login with Auth0</button>
    </section>
  )
}
