import type { IdToken } from '@auth0/auth0-spa-js'
import { AwsClient } from 'aws4fetch'
import { LOGIN_ERRORS } from '../api.js'
import type { AwsAccess, AwsDeps, AwsIdentity, WhoAmI } from './lazy.js'
import { Problem, cognitoRefusal, send, settle } from './problems.js'

/** Credentials are used until this long before they expire, then fetched again: no request fails mid-way. */
const RENEW_BEFORE_MS = 5 * 60_000
/** An ID token this close to its `exp` is renewed first: Cognito refuses an expired one. */
const ID_TOKEN_MARGIN_MS = 60_000

interface Credentials {
  identityId: string
  accessKeyId: string
  secretKey: string
  sessionToken: string
  expiresAt: number
}

/**
 * The identity-pool path (Cognito Identity's enhanced flow): the Auth0 ID token goes to GetId, then to
 * GetCredentialsForIdentity, over plain fetch (the SDK would add ~50 KB gzip for two JSON calls); `/aws/whoami` is
 * signed with SigV4 by aws4fetch (WebCrypto). The credentials live in this closure only: never stored, shown or logged.
 */
export function createAwsAccess ({ auth, settings, fetch: fetchFn, now }: AwsDeps): Omit<AwsAccess, 'apiBaseUrl'> {
  let held: Credentials | undefined
  let pending: Promise<Credentials> | undefined

  async function current (): Promise<{ credentials: Credentials, reused: boolean }> {
    if (held && held.expiresAt - now() > RENEW_BEFORE_MS) return { credentials: held, reused: true }
    // One exchange at a time, however many callers wait for it.
    pending ??= exchange().finally(() => { pending = undefined })
    held = await pending
    return { credentials: held, reused: false }
  }

  async function exchange (): Promise<Credentials> {
    const Logins = { [settings.loginsKey]: await idToken() }
    const { IdentityId } = await cognito('GetId', { IdentityPoolId: settings.poolId, Logins })
    const answer = await cognito('GetCredentialsForIdentity', { IdentityId, Logins })
    const c = answer.Credentials as Record<string, unknown> | undefined
    if (typeof answer.IdentityId !== 'string' || typeof c?.AccessKeyId !== 'string' ||
      typeof c.SecretKey !== 'string' || typeof c.SessionToken !== 'string' || typeof c.Expiration !== 'number') {
      const message = "The identity pool's answer is not in the expected shape"
      throw new Problem({ kind: 'failed', status: 200, message })
    }
    return {
      identityId: answer.IdentityId,
      accessKeyId: c.AccessKeyId,
      secretKey: c.SecretKey,
      sessionToken: c.SessionToken,
      expiresAt: c.Expiration * 1000 // epoch seconds on the wire
    }
  }

  /**
   * The ID token, renewed first when it expired: getIdTokenClaims answers from the SDK's cache, whatever its `exp`;
   * getTokenSilently with the cache off asks Auth0 again (refresh token or silent iframe), and caches the new one.
   */
  async function idToken (): Promise<string> {
    const fresh = (claims: IdToken | undefined) =>
      claims?.__raw && typeof claims.exp === 'number' && claims.exp * 1000 - now() > ID_TOKEN_MARGIN_MS
        ? claims.__raw
        : undefined
    const cached = fresh(await auth.getIdTokenClaims())
    if (cached) return cached
    try {
      await auth.getTokenSilently({ cacheMode: 'off' })
    } catch (err) {
      const code = (err as { error?: string }).error
      if (code && LOGIN_ERRORS.has(code)) throw new Problem({ kind: 'login-required', reason: code })
      const message = `Could not renew the ID token: ${(err as Error).message}`
      throw new Problem({ kind: 'failed', status: 0, message })
    }
    const renewed = fresh(await auth.getIdTokenClaims())
    if (!renewed) throw new Problem({ kind: 'login-required', reason: 'id_token_expired' })
    return renewed
  }

  async function cognito (operation: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await send(settings.endpoint, 'The identity pool', () => fetchFn(settings.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityService.${operation}`
      },
      body: JSON.stringify(body)
    }))
    const answer: unknown = await res.json().catch(() => null)
    const fields = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>
    if (res.ok) return fields
    throw new Problem(cognitoRefusal(res.status, fields))
  }

  async function whoami (): Promise<WhoAmI> {
    const { credentials: c } = await current()
    const signer = new AwsClient({
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretKey,
      sessionToken: c.sessionToken,
      service: 'execute-api',
      region: settings.region
    })
    const datetime = new Date(now()).toISOString().replace(/[:-]|\.\d{3}/g, '')
    const request = await signer.sign(`${settings.apiBaseUrl}/aws/whoami`, { method: 'GET', aws: { datetime } })
    const res = await send(settings.apiBaseUrl, 'The AWS API', () => fetchFn(request))
    const body: unknown = await res.json().catch(() => null)
    const { message } = (body ?? {}) as { message?: unknown }
    const text = typeof message === 'string' ? message : `HTTP ${res.status}`
    // API Gateway's refusals carry only a `message`; the API's own (`aws_iam_required`: no gateway in front), `error`.
    if (res.status === 403 && !(body as { error?: unknown } | null)?.error) {
      // Whatever API Gateway disliked, the next call starts from new credentials.
      held = undefined
      throw new Problem({ kind: 'refused', status: res.status, message: text })
    }
    if (!res.ok) throw new Problem({ kind: 'failed', status: res.status, message: text })
    if (!isWhoAmI(body)) {
      const message = 'The answer of /aws/whoami is not in the expected shape'
      throw new Problem({ kind: 'failed', status: res.status, message })
    }
    return body
  }

  return {
    credentials: () => settle(async (): Promise<AwsIdentity> => {
      const { credentials: c, reused } = await current()
      return { identityId: c.identityId, expiresAt: c.expiresAt, reused }
    }),
    whoami: () => settle(whoami)
  }
}

function isWhoAmI (value: unknown): value is WhoAmI {
  const body = value as Partial<WhoAmI> | null
  return typeof body?.user_arn === 'string'
}
