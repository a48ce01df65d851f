import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { ApiClient, ApiResult, FederatedUser } from '../../api.js'
import { ApiProblem, Profile } from './MeOutcome.js'

interface Props { lookUp: ApiClient['user'], onLogin: () => void }

/** `/users/:sub`: another user's federated Cognito profile, for those whose token holds `read:users`. */
export function UserLookup ({ lookUp, onLogin }: Props) {
  const [sub, setSub] = useState('')
  const [lookup, setLookup] = useState<'idle' | 'calling' | Lookup>('idle')
  const outcome = useRef<HTMLDivElement>(null)
  // As for /me: the disabled button drops the focus, so it goes to what the lookup produced.
  useLayoutEffect(() => { if (typeof lookup === 'object') outcome.current?.focus() }, [lookup])

  const done = typeof lookup === 'object' ? lookup : undefined
  // A profile or none (404) is the API's answer, for the status region; anything else is an alert of its own.
  const answered = done?.result.kind === 'ok' || done?.result.kind === 'not-found'

  async function onSubmit (event: Event) {
    event.preventDefault()
    const wanted = sub.trim()
    setLookup('calling')
    setLookup({ sub: wanted, result: await lookUp(wanted) })
  }

  return (
    <section aria-labelledby='lookup-title'>
      <h2 id='lookup-title'>Look up a user</h2>
      <p>Another user's federated Cognito profile, by Auth0 user id. Only tokens with the <code>read:users</code>{' '}
        permission may.
      </p>
      <form class='lookup' onSubmit={onSubmit}>
        <label for='lookup-sub'>Auth0 user id</label>
        <input
          id='lookup-sub' name='sub' required autocomplete='off' spellcheck={false} placeholder='auth0|…'
          value={sub} onInput={event => setSub(event.currentTarget.value)}
        />
        <button type='submit' disabled={lookup === 'calling'}>Look up</button>
      </form>
      {/* Always in the page, so screen readers announce the answer that appears in its status region. */}
      <div class='outcome' tabIndex={-1} ref={outcome} data-testid='lookup-outcome'>
        <div role='status'>
          {lookup === 'calling' && <p class='status'>Looking up…</p>}
          {done && answered && <LookupOutcome {...done} onLogin={onLogin} />}
        </div>
        {done && !answered && <LookupOutcome {...done} onLogin={onLogin} />}
      </div>
    </section>
  )
}

interface Lookup { sub: string, result: ApiResult<FederatedUser> }

function LookupOutcome ({ sub, result, onLogin }: Lookup & { onLogin: () => void }) {
  switch (result.kind) {
    case 'ok':
      return <p>Federated profile of <code>{sub}</code>: <Profile user={result.body} /></p>
    case 'not-found':
      // The API answers 404 alike for an Auth0 user not yet federated and for a sub nobody has: claim neither.
      return (
        <p>
          Cognito has no federated profile for <code>{sub}</code>. Either no Auth0 user has this id, or they have not
          signed in through Cognito yet.
        </p>
      )
    case 'forbidden':
      return (
        <p role='alert'>
          You may not look up <code>{sub}</code>. The API said: {result.message}. An Auth0 role that
          holds <code>read:users</code> would let you.
        </p>
      )
    default:
      return <ApiProblem result={result} onLogin={onLogin} />
  }
}
