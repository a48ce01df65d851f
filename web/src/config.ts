/** The SPA's settings: build-time `VITE_*` values only. Vite inlines them, so none may be a secret. */
export const CONFIG_KEYS = [
  'VITE_AUTH0_DOMAIN',
  'VITE_AUTH0_CLIENT_ID',
  'VITE_AUTH0_AUDIENCE',
  'VITE_AUTH0_REDIRECT_URI',
  'VITE_BACKEND_BASE_URL'
] as const

export interface WebConfig {
  auth0Domain: string
  clientId: string
  audience: string
  redirectUri: string
  backendBaseUrl: string
}

export type ConfigResult = { ok: true, config: WebConfig } | { ok: false, missing: string[] }

export function readConfig (env: Partial<Record<string, unknown>>): ConfigResult {
  const value = (key: typeof CONFIG_KEYS[number]) => (typeof env[key] === 'string' ? (env[key] as string).trim() : '')
  const missing = CONFIG_KEYS.filter(key => value(key) === '')
  if (missing.length > 0) return { ok: false, missing }
  return {
    ok: true,
    config: {
      auth0Domain: value('VITE_AUTH0_DOMAIN'),
      clientId: value('VITE_AUTH0_CLIENT_ID'),
      audience: value('VITE_AUTH0_AUDIENCE'),
      redirectUri: value('VITE_AUTH0_REDIRECT_URI'),
      backendBaseUrl: value('VITE_BACKEND_BASE_URL').replace(/\/+$/, '')
    }
  }
}

/** `https://<domain>` unless the domain names its own scheme (a local stand-in): auth0-spa-js' rule. */
export function auth0Origin (domain: string): string {
  return new URL(/^https?:\/\//i.test(domain) ? domain : `https://${domain}`).origin
}
