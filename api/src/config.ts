import { envSchema } from 'env-schema'
import { Type, type Static } from 'typebox'

const NonEmpty = (description: string) => Type.String({ minLength: 1, description })

export const ConfigSchema = Type.Object({
  AUTH0_DOMAIN: NonEmpty('Auth0 tenant or custom domain; an explicit http(s)://host:port is kept as is'),
  AUTH0_AUDIENCE: NonEmpty('Identifier of the Auth0 API; access tokens must carry it in aud'),
  AUTH0_EMAIL_CLAIM: Type.String({ minLength: 1, default: 'email' }),
  AUTH0_JWKS_URI: Type.Optional(Type.String({ pattern: '^https?://[^/]+/' })),
  AWS_REGION: Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' }),
  COGNITO_USER_POOL_ID: Type.String({ pattern: '^[\\w-]+_[0-9a-zA-Z]+$' }),
  COGNITO_AUTH0_PROVIDER_NAME: Type.String({ minLength: 1, maxLength: 32, default: 'Auth0' }),
  BACKEND_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8000 }),
  FRONTEND_ORIGIN: Type.String({ pattern: '^https?://[^/]+$', default: 'http://localhost:3000' }),
  LOG_LEVEL: Type.Union([
    Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'),
    Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')
  ], { default: 'info' })
})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Reads and validates the API's settings from `env`. Empty values count as unset, so
 * `KEY=` in a compose file falls back to the default instead of failing a pattern.
 */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const data = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  let config: Config
  try {
    config = envSchema<Config>({ schema: ConfigSchema, data, env: false })
  } catch (err) {
    const problems = (err as { errors?: AjvError[] }).errors ?? []
    throw new ConfigError(problems.map(describe).join('; ') || (err as Error).message)
  }
  issuerFromDomain(config.AUTH0_DOMAIN)
  return config
}

interface AjvError { keyword: string, instancePath: string, message?: string, params: Record<string, unknown> }

function describe ({ keyword, instancePath, message, params }: AjvError): string {
  if (keyword === 'required') return `${String(params.missingProperty)} is not set`
  return `${instancePath.slice(1)} ${message ?? 'is invalid'}`
}

/** The entry points' way to fail at boot: one line naming the variable, no stack trace. */
export function loadConfigOrExit (env = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`Configuration error: ${err.message}`)
    process.exit(1)
  }
}

/**
 * The issuer Auth0 writes into `iss`: `https://<domain>/`. A domain that already names its
 * scheme (a local stand-in on http://localhost:4000) keeps it, the rule auth0-spa-js applies.
 */
export function issuerFromDomain (domain: string): string {
  const withScheme = /^https?:\/\//i.test(domain) ? domain : `https://${domain}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new ConfigError(`AUTH0_DOMAIN is not a host name or an http(s) origin: ${domain}`)
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`AUTH0_DOMAIN must be a host name or an http(s) origin without a path: ${domain}`)
  }
  return `${url.origin}/`
}
