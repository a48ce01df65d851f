/** The SPA's settings: build-time `VITE_*` values only. Vite inlines them, so none may be a secret. */
export const CONFIG_KEYS = [
  'VITE_AUTH0_DOMAIN',
  'VITE_AUTH0_CLIENT_ID',
  'VITE_AUTH0_AUDIENCE',
  'VITE_AUTH0_REDIRECT_URI',
  'VITE_BACKEND_BASE_URL'
] as const

/**
 * Optional: `true` binds the SPA's access tokens to a key only this browser holds (DPoP, RFC 9449): auth0-spa-js'
 * `useDpop` and its fetcher for the API calls. Empty or `false`: plain Bearer tokens, as before.
 */
const DPOP_KEY = 'VITE_AUTH0_USE_DPOP'

/**
 * Optional: `true` keeps the session with rotating refresh tokens in localStorage instead of the silent-auth iframe,
 * which browsers blocking third-party cookies break (README: Sessions). Empty or `false`: the iframe, as before.
 */
const REFRESH_TOKENS_KEY = 'VITE_AUTH0_USE_REFRESH_TOKENS'

/**
 * Optional, the identity-pool path (README: AWS credentials): with a pool id, /home offers temporary AWS credentials
 * for the signed-in user and a call to the IAM-authorized `/aws/whoami`. Empty: no such panel.
 */
export const AWS_KEYS = {
  poolId: 'VITE_COGNITO_IDENTITY_POOL_ID',
  endpoint: 'VITE_COGNITO_IDENTITY_ENDPOINT',
  apiBaseUrl: 'VITE_AWS_API_BASE_URL'
} as const

/** Where the SPA exchanges its ID token for AWS credentials, and where it sends the signed requests. */
export interface AwsIdentitySettings {
  poolId: string
  region: string
  /** Cognito Identity's endpoint (or a stand-in's). */
  endpoint: string
  /** The IAM-authorized routes' base URL (API Gateway's). */
  apiBaseUrl: string
  /** The key of the ID token in `Logins`: the Auth0 domain without its scheme, as the identity pool names it. */
  loginsKey: string
}

export interface WebConfig {
  auth0Domain: string
  clientId: string
  audience: string
  redirectUri: string
  backendBaseUrl: string
  useDpop: boolean
  useRefreshTokens: boolean
  awsIdentity?: AwsIdentitySettings | undefined
}

/**
 * `problems`: one line each, in the API's words (api/src/config.ts): `X is not set`, `X is empty`,
 * `X must be <what it takes> (got "<value>")`, in the order of CONFIG_KEYS. A check by hand, not TypeBox's Value:
 * measured by `npm run bench --workspace web`, Value adds ~25 KB gzip to the ~6 KB the app adds on top of
 * auth0-spa-js, past its 15 KB budget, for five non-empty strings, two URLs and a boolean.
 */
type ConfigResult = { ok: true, config: WebConfig } | { ok: false, problems: string[] }

export function readConfig (env: Partial<Record<string, unknown>>): ConfigResult {
  const value = (key: string) => (typeof env[key] === 'string' ? (env[key] as string).trim() : '')
  const got = (key: string) => `(got ${JSON.stringify(env[key])})`
  const problems: string[] = []
  for (const key of CONFIG_KEYS) {
    if (value(key) === '') problems.push(`${key} is ${typeof env[key] === 'string' ? 'empty' : 'not set'}`)
    // Tokens travel to both: plain http only to a stand-in on this machine. A bare domain means https.
    else if (key === 'VITE_AUTH0_DOMAIN' || key === 'VITE_BACKEND_BASE_URL') {
      const problem = transportProblem(key === 'VITE_AUTH0_DOMAIN' ? withScheme(value(key)) : value(key))
      if (problem) problems.push(`${key} must ${problem} ${got(key)}`)
    }
  }
  // A typo must not quietly leave DPoP (or refresh tokens) off.
  for (const key of [DPOP_KEY, REFRESH_TOKENS_KEY]) {
    const flag = value(key).toLowerCase()
    if (!['', 'true', 'false'].includes(flag)) problems.push(`${key} must be true or false ${got(key)}`)
  }
  const aws = readAwsIdentity(value)
  problems.push(...aws.problems)
  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    config: {
      auth0Domain: value('VITE_AUTH0_DOMAIN'),
      clientId: value('VITE_AUTH0_CLIENT_ID'),
      audience: value('VITE_AUTH0_AUDIENCE'),
      redirectUri: value('VITE_AUTH0_REDIRECT_URI'),
      backendBaseUrl: value('VITE_BACKEND_BASE_URL').replace(/\/+$/, ''),
      useDpop: value(DPOP_KEY).toLowerCase() === 'true',
      useRefreshTokens: value(REFRESH_TOKENS_KEY).toLowerCase() === 'true',
      ...(aws.settings && { awsIdentity: aws.settings })
    }
  }
}

/** `https://<domain>` unless the domain names its own scheme (a local stand-in): auth0-spa-js' rule. */
export function auth0Origin (domain: string): string {
  return new URL(withScheme(domain)).origin
}

/** The identity-pool settings when a pool id is set, and what is wrong in them (readConfig's words). */
export function readAwsIdentity (value: (key: string) => string) {
  const poolId = value(AWS_KEYS.poolId)
  if (!poolId) return { settings: undefined, problems: [] }
  const got = (key: string) => `(got ${JSON.stringify(value(key))})`
  // `<region>:<uuid>`, as Cognito writes it: the region is where the pool and its endpoint are.
  const region = /^([a-z]{2}(?:-[a-z]+)+-\d+):[0-9a-f-]{36}$/.exec(poolId)?.[1]
  const settings = {
    poolId,
    region: region ?? '',
    endpoint: value(AWS_KEYS.endpoint) || `https://cognito-identity.${region}.amazonaws.com/`,
    apiBaseUrl: (value(AWS_KEYS.apiBaseUrl) || value('VITE_BACKEND_BASE_URL')).replace(/\/+$/, ''),
    loginsKey: value('VITE_AUTH0_DOMAIN').replace(/^https?:\/\//i, '').replace(/\/.*$/, '')
  }
  const problems = region ? [] : [`${AWS_KEYS.poolId} must be <region>:<uuid> ${got(AWS_KEYS.poolId)}`]
  // The ID token goes to the endpoint, the credentials' signatures to the API: the same transport rule as the rest.
  for (const key of [AWS_KEYS.endpoint, AWS_KEYS.apiBaseUrl] as const) {
    const problem = value(key) && transportProblem(value(key))
    if (problem) problems.push(`${key} must ${problem} ${got(key)}`)
  }
  return { settings: problems.length > 0 ? undefined : settings, problems }
}

const withScheme = (domain: string) => /^https?:\/\//i.test(domain) ? domain : `https://${domain}`

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** What keeps `url` from being https, or http to this machine (after "must"); nothing when it is one of those. */
function transportProblem (url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'be an http(s) URL'
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) return
  return parsed.protocol === 'http:' ? 'use https unless it is on loopback' : 'be an http(s) URL'
}
