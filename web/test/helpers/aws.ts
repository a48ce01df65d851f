/**
 * A fake AWS for the panel's tests, at the fetch seam: Cognito Identity's endpoint (JSON 1.1) and API Gateway's
 * `/aws/whoami`, each answering what the test sets, recording every request the page sent. A clock the test moves,
 * and an Auth0 client whose ID token the test controls.
 */
import { fireEvent, waitFor, within } from '@testing-library/preact/pure'
import type { Test } from 'tap'
import { createApiClient } from '../../src/api.js'
import { readConfig } from '../../src/config.js'
import { fakeAuth, renderApp, signedIn } from './dom.js'

export const ENDPOINT = 'https://cognito-identity.eu-west-1.amazonaws.com/'
export const GATEWAY = 'https://abc123.execute-api.eu-west-1.amazonaws.com'
export const POOL_ID = 'eu-west-1:0b6f2c9e-4a57-4c1e-9d3a-5e8f7a6b1c2d'
export const IDENTITY_ID = 'eu-west-1:5c1d7e2a-9f3b-4d6c-8a1e-2b7f4c9d0e3a'
export const START = Date.parse('2026-12-02T09:00:00Z')
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY'
export const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN'
export const ACCESS_KEY_ID = 'ASIAEXAMPLEKEYID0001'
export const ROLE_ARN = 'arn:aws:sts::123456789012:assumed-role/auth0-reader/CognitoIdentityCredentials'

type Reply = { status: number, body: unknown } | 'unreachable'

export function fakeAws () {
  let clock = START
  const now = () => clock
  const sent: Request[] = []
  const bodies: Array<Record<string, unknown>> = []
  const answers = {
    GetId: { status: 200, body: { IdentityId: IDENTITY_ID } } as Reply,
    GetCredentialsForIdentity: undefined as Reply | undefined, // default: fresh credentials for an hour from now
    whoami: {
      status: 200,
      body: {
        identity_id: IDENTITY_ID,
        identity_pool_id: POOL_ID,
        user_arn: ROLE_ARN,
        authentication_provider: 'tenant.eu.auth0.com',
        amr: ['authenticated', 'tenant.eu.auth0.com']
      }
    } as Reply
  }
  const credentials = () => ({
    status: 200,
    body: {
      IdentityId: IDENTITY_ID,
      Credentials: {
        AccessKeyId: ACCESS_KEY_ID, SecretKey: SECRET, SessionToken: SESSION_TOKEN, Expiration: clock / 1000 + 3600
      }
    }
  })
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    sent.push(request)
    let reply: Reply
    if (request.url === ENDPOINT) {
      bodies.push(await request.clone().json())
      const operation = request.headers.get('x-amz-target')?.replace('AWSCognitoIdentityService.', '')
      reply = operation === 'GetId' ? answers.GetId : answers.GetCredentialsForIdentity ?? credentials()
    } else {
      reply = request.url === `${GATEWAY}/aws/whoami` ? answers.whoami : { status: 404, body: { message: 'Not Found' } }
    }
    if (reply === 'unreachable') throw new TypeError('fetch failed')
    const headers = { 'content-type': 'application/json' }
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers })
  }

  // The ID token auth0-spa-js holds: valid for an hour unless the test says otherwise; renewed by getTokenSilently.
  const { auth, calls } = fakeAuth()
  let idToken = { __raw: 'id-token-1', exp: START / 1000 + 3600 }
  const renewals: unknown[] = []
  let renew: () => Promise<void> = async () => { idToken = { __raw: 'id-token-2', exp: clock / 1000 + 3600 } }
  Object.assign(auth, {
    getIdTokenClaims: async () => idToken,
    getTokenSilently: async (options: unknown) => { renewals.push(options); await renew(); return 'the-access-token' }
  })

  const config = readConfig({
    VITE_AUTH0_DOMAIN: 'https://tenant.eu.auth0.com',
    VITE_AUTH0_CLIENT_ID: 'spa',
    VITE_AUTH0_AUDIENCE: 'https://api.example.com',
    VITE_AUTH0_REDIRECT_URI: 'http://localhost:3000/callback',
    VITE_BACKEND_BASE_URL: 'http://127.0.0.1:9',
    VITE_COGNITO_IDENTITY_POOL_ID: POOL_ID,
    VITE_AWS_API_BASE_URL: GATEWAY
  })
  if (!config.ok) throw new Error('the test config is incomplete')
  const api = createApiClient(auth, config.config, fetch, now)

  return {
    api,
    auth,
    calls,
    sent,
    bodies,
    answers,
    renewals,
    /** Moves the clock on by `ms`. */
    advance: (ms: number) => { clock += ms },
    setIdToken: (claims: { __raw: string, exp: number }) => { idToken = claims },
    onRenew: (fn: () => Promise<void>) => { renew = fn }
  }
}

/** Opens /home with the identity pool configured; `click` presses a button of the panel and waits for the focus. */
export function openAwsPanel (t: Test, aws = fakeAws()) {
  const view = renderApp(t, { path: '/home', session: signedIn, auth: aws.auth, api: aws.api })
  const panel = within(view.getByRole('region', { name: 'AWS credentials' }))
  const outcome = panel.getByTestId('aws-outcome')
  const click = async (name: string) => {
    (document.activeElement as HTMLElement | null)?.blur()
    fireEvent.click(panel.getByRole('button', { name }))
    await waitFor(() => { if (document.activeElement !== outcome) throw new Error('the focus is not on the outcome') })
  }
  return { view, panel, click, status: () => panel.getByRole('status').textContent, aws }
}
