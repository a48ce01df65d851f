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

export interface WebConfig {
  auth0Domain: string
  clientId: string
  audience: string
  redirectUri: string
  backendBaseUrl: string
  useDpop: boolean
  useRefreshTokens: boolean
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
      useRefreshTokens: value(REFRESH_TOKENS_KEY).toLowerCase() === 'true'
    }
  }
}

/** `https://<domain>` unless the domain names its own scheme (a local stand-in): auth0-spa-js' rule. */
export function auth0Origin (domain: string): string {
  return new URL(withScheme(domain)).origin
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
