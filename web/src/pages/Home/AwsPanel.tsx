import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { AwsAccess, AwsIdentity, AwsProblem, WhoAmI } from '../../aws/lazy.js'
import { ApiProblem } from './MeOutcome.js'

interface Props { aws: AwsAccess, onLogin: () => void }

type Step = 'credentials' | 'whoami'

/**
 * The identity-pool path: the Auth0 ID token exchanged for temporary AWS credentials, and a request signed with
 * them. Shows who AWS says you are; never the secret or the session token, which stay inside the AWS module.
 */
export function AwsPanel ({ aws, onLogin }: Props) {
  const [busy, setBusy] = useState<Step>()
  const [identity, setIdentity] = useState<AwsIdentity>()
  const [caller, setCaller] = useState<WhoAmI>()
  const [done, setDone] = useState<{ step: Step, problem?: AwsProblem }>()
  const outcome = useRef<HTMLDivElement>(null)
  // As for /me: the disabled button drops the focus, so it goes to what the call produced.
  useLayoutEffect(() => { if (done) outcome.current?.focus() }, [done])

  async function run (step: Step) {
    setBusy(step)
    // The signed call needs credentials first: reused when still fresh, so this costs nothing then.
    const credentials = await aws.credentials()
    let problem = credentials.kind === 'ok' ? undefined : credentials
    if (credentials.kind === 'ok') setIdentity(credentials.body)
    if (!problem && step === 'whoami') {
      const answer = await aws.whoami()
      if (answer.kind === 'ok') setCaller(answer.body)
      else problem = answer
    }
    setBusy(undefined)
    setDone({ step, problem })
  }

  return (
    <section aria-labelledby='aws-title'>
      <h2 id='aws-title'>AWS credentials</h2>
      <p>Your Auth0 ID token, exchanged at a Cognito identity pool for temporary AWS credentials, whose role the
        pool's rules pick from the token's claims. The signed call asks API Gateway who those credentials are.
      </p>
      <p class='actions'>
        <button type='button' onClick={() => run('credentials')} disabled={!!busy}>Get AWS credentials</button>
        <button type='button' onClick={() => run('whoami')} disabled={!!busy}>Call /aws/whoami signed</button>
      </p>
      <div class='outcome' tabIndex={-1} ref={outcome} data-testid='aws-outcome'>
        {/* Always in the page, so screen readers announce what appears in it. Errors are alerts of their own. */}
        <p class='status' role='status'>
          {busy === 'credentials' && 'Exchanging your ID token at the identity pool…'}
          {busy === 'whoami' && `Calling ${aws.apiBaseUrl}/aws/whoami, signed with your AWS credentials…`}
          {!busy && done && !done.problem && (done.step === 'whoami'
            ? `AWS says you are ${roleOf(caller!)}.`
            : identity?.reused
              ? 'These credentials are still valid: no new exchange.'
              : 'The identity pool issued new credentials.')}
        </p>
        {!busy && done?.problem && <Problem problem={done.problem} onLogin={onLogin} />}
        {identity && (
          <dl data-testid='aws-identity'>
            <dt>Identity id</dt><dd><code>{identity.identityId}</code></dd>
            <dt>Expires</dt><dd>{utc(identity.expiresAt)}</dd>
            {caller && <><dt>Role</dt><dd>{roleOf(caller)} <code>{caller.user_arn}</code></dd></>}
          </dl>
        )}
        {caller && <pre data-testid='whoami-result'>{JSON.stringify(caller, null, 2)}</pre>}
      </div>
    </section>
  )
}

/** The role's name in the assumed-role ARN API Gateway reports; the ARN itself when it is not one. */
const roleOf = (caller: WhoAmI) => /:assumed-role\/([^/]+)\//.exec(caller.user_arn)?.[1] ?? caller.user_arn

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`

function Problem ({ problem, onLogin }: { problem: AwsProblem, onLogin: () => void }) {
  switch (problem.kind) {
    case 'not-authorized':
      return <p role='alert'>The identity pool did not accept your Auth0 ID token: {problem.message}</p>
    case 'no-role':
      return (
        <p role='alert'>
          The identity pool gives your account no AWS role: {problem.message} Its rules pick the role from a claim of
          your ID token: none applied to you, or the role they chose cannot be assumed.
        </p>
      )
    case 'refused':
      return <p role='alert'>API Gateway refused the signed request ({problem.status}): {problem.message}</p>
    default:
      return <ApiProblem result={problem} onLogin={onLogin} />
  }
}
