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

/** `invalid`: keys set to a value the app cannot use, each with what it takes. */
type ConfigResult = { ok: true, config: WebConfig } | { ok: false, missing: string[], invalid: string[] }

export function readConfig (env: Partial<Record<string, unknown>>): ConfigResult {
  const value = (key: string) => (typeof env[key] === 'string' ? (env[key] as string).trim() : '')
  const missing = CONFIG_KEYS.filter(key => value(key) === '')
  // A typo must not quietly leave DPoP (or refresh tokens) off.
  const dpop = value(DPOP_KEY).toLowerCase()
  const refreshTokens = value(REFRESH_TOKENS_KEY).toLowerCase()
  const invalid = [[DPOP_KEY, dpop], [REFRESH_TOKENS_KEY, refreshTokens]]
    .filter(([, flag]) => !['', 'true', 'false'].includes(flag!)).map(([key]) => `${key}: true or false`)
  // Tokens travel to both: plain http only to a stand-in on this machine. A bare domain means https.
  for (const [key, url] of [
    ['VITE_AUTH0_DOMAIN', value('VITE_AUTH0_DOMAIN') && withScheme(value('VITE_AUTH0_DOMAIN'))],
    ['VITE_BACKEND_BASE_URL', value('VITE_BACKEND_BASE_URL')]
  ] as const) {
    const problem = url && transportProblem(url)
    if (problem) invalid.push(`${key}: ${problem}`)
  }
  const aws = readAwsIdentity(value)
  invalid.push(...aws.invalid)
  if (missing.length > 0 || invalid.length > 0) return { ok: false, missing, invalid }
  return {
    ok: true,
    config: {
      auth0Domain: value('VITE_AUTH0_DOMAIN'),
      clientId: value('VITE_AUTH0_CLIENT_ID'),
      audience: value('VITE_AUTH0_AUDIENCE'),
      redirectUri: value('VITE_AUTH0_REDIRECT_URI'),
      backendBaseUrl: value('VITE_BACKEND_BASE_URL').replace(/\/+$/, ''),
      useDpop: dpop === 'true',
      useRefreshTokens: refreshTokens === 'true',
      ...(aws.settings && { awsIdentity: aws.settings })
    }
  }
}

/** `https://<domain>` unless the domain names its own scheme (a local stand-in): auth0-spa-js' rule. */
export function auth0Origin (domain: string): string {
  return new URL(withScheme(domain)).origin
}

/** The identity-pool settings when a pool id is set, with what is wrong in them. */
export function readAwsIdentity (value: (key: string) => string) {
  const poolId = value(AWS_KEYS.poolId)
  if (!poolId) return { settings: undefined, invalid: [] }
  // `<region>:<uuid>`, as Cognito writes it: the region is where the pool and its endpoint are.
  const region = /^([a-z]{2}(?:-[a-z]+)+-\d+):[0-9a-f-]{36}$/.exec(poolId)?.[1]
  const settings = {
    poolId,
    region: region ?? '',
    endpoint: value(AWS_KEYS.endpoint) || `https://cognito-identity.${region}.amazonaws.com/`,
    apiBaseUrl: (value(AWS_KEYS.apiBaseUrl) || value('VITE_BACKEND_BASE_URL')).replace(/\/+$/, ''),
    loginsKey: value('VITE_AUTH0_DOMAIN').replace(/^https?:\/\//i, '').replace(/\/.*$/, '')
  }
  // The ID token goes to the endpoint, the credentials' signatures to the API: the same transport rule as the rest.
  const invalid = region ? [] : [`${AWS_KEYS.poolId}: <region>:<uuid>, as Cognito shows it`]
  for (const key of [AWS_KEYS.endpoint, AWS_KEYS.apiBaseUrl] as const) {
    const problem = value(key) && transportProblem(value(key))
    if (problem) invalid.push(`${key}: ${problem}`)
  }
  return { settings: invalid.length > 0 ? undefined : settings, invalid }
}

const withScheme = (domain: string) => /^https?:\/\//i.test(domain) ? domain : `https://${domain}`

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** What keeps `url` from being https, or http to this machine; nothing when it is one of those. */
function transportProblem (url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'an http(s) URL'
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) return
  return parsed.protocol === 'http:' ? 'https unless on loopback' : 'an http(s) URL'
}
