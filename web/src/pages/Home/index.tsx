import type { User } from '@auth0/auth0-spa-js'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { ApiClient, ApiResult, MeAnswer } from '../../api.js'
import { useTitle } from '../../use-title.js'
import { AwsPanel } from './AwsPanel.js'
import { Email } from './Email.js'
import { MeOutcome } from './MeOutcome.js'
import { UserLookup } from './UserLookup.js'

interface Props { user: User | undefined, api: ApiClient, onLogin: () => void }

export function Home ({ user, api, onLogin }: Props) {
  useTitle('Home')
  const [call, setCall] = useState<'idle' | 'calling' | ApiResult<MeAnswer>>('idle')
  const outcome = useRef<HTMLDivElement>(null)
  // The button is disabled during the call, which drops the focus: put it on what the call produced,
  // in the same turn as the result appears (a layout effect), so nobody sees the result without the focus.
  useLayoutEffect(() => { if (typeof call === 'object') outcome.current?.focus() }, [call])

  async function onCall () {
    setCall('calling')
    setCall(await api.me())
  }

  return (
    <section>
      <h1>Home</h1>
      <div class='profile'>
        {user?.picture && <img src={user.picture} alt='' width={64} height={64} referrerpolicy='no-referrer' />}
        <dl>
          <dt>Name</dt><dd data-testid='name'>{user?.name ?? '—'}</dd>
          <dt>Email</dt><dd class='email' data-testid='email'>{user?.email ? <Email address={user.email} /> : '—'}</dd>
          <dt>Auth0 sub</dt><dd data-testid='sub'><code>{user?.sub}</code></dd>
          <dt>Status</dt><dd>Authenticated</dd>
        </dl>
      </div>
      <p>
        <button type='button' onClick={onCall} disabled={call === 'calling'}>Call Protected Backend /me</button>
      </p>
      {/* Always in the page, so screen readers announce what appears in it. Errors are alerts of their own. */}
      <p class='status' role='status'>
        {call === 'calling' && `Calling ${api.baseUrl}/me…`}
        {typeof call === 'object' && call.kind === 'ok' && 'The API answered. Its answer follows.'}
      </p>
      {typeof call === 'object' && (
        <div class='outcome' tabIndex={-1} ref={outcome} data-testid='me-outcome'>
          <MeOutcome result={call} onLogin={onLogin} />
        </div>
      )}
      <UserLookup lookUp={api.user} onLogin={onLogin} />
      {api.aws && <AwsPanel aws={api.aws} onLogin={onLogin} />}
    </section>
  )
}
