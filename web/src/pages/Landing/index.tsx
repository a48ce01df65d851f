import { useTitle } from '../../use-title.js'

export function Landing ({ onLogin }: { onLogin: () => void }) {
  useTitle('Sign in')
  return (
    <section>
      <h1>Auth0 + Cognito POC</h1>
      <p>
        Sign in with Auth0, then call a protected API that verifies your access token and looks you up
        in an Amazon Cognito user pool federated with the same Auth0 application.
      </p>
      <button type='button' onClick={onLogin}>Login with Auth0</button>
    </section>
  )
}
