import { Type, type Static } from 'typebox'

const NonEmpty = (description: string) => Type.String({ minLength: 1, description })

const ConfigSchema = Type.Object({
  AUTH0_DOMAIN: NonEmpty('Auth0 tenant or custom domain; an explicit http(s)://host:port is kept as is'),
  AUTH0_AUDIENCE: NonEmpty('Identifier of the Auth0 API; access tokens must carry it in aud'),
  AUTH0_EMAIL_CLAIM: Type.String({ minLength: 1, default: 'email' }),
  AUTH0_JWKS_URI: Type.Optional(Type.String({ pattern: '^https?://[^/]+/' })),
  AUTH0_ALLOWED_CLIENT_IDS: Type.Optional(Type.String({ pattern: '^[\\w-]+( *, *[\\w-]+)*$' })),
  // Read by the AWS SDK itself (the service's own variable, or the one for every service); listed here so
  // that a plain-http endpoint is checked like the others.
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: Type.Optional(Type.String({ pattern: '^https?://[^/]+/?$' })),
  AWS_ENDPOINT_URL_DYNAMODB: Type.Optional(Type.String({ pattern: '^https?://[^/]+/?$' })),
  AWS_ENDPOINT_URL: Type.Optional(Type.String({ pattern: '^https?://[^/]+/?$' })),
  AWS_REGION: Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' }),
  COGNITO_USER_POOL_ID: Type.String({ pattern: '^[\\w-]+_[0-9a-zA-Z]+$' }),
  COGNITO_AUTH0_PROVIDER_NAME: Type.String({ minLength: 1, maxLength: 32, default: 'Auth0' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  BACKEND_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8000 }),
  FRONTEND_ORIGIN: Type.String({ pattern: '^https?://[^/]+$', default: 'http://localhost:3000' }),
  // DPoP (RFC 9449): `allowed` verifies proofs for bound tokens and still takes unbound Bearer tokens.
  DPOP_MODE: Type.Union([Type.Literal('allowed'), Type.Literal('required'), Type.Literal('disabled')],
    { default: 'allowed' }),
  // The DynamoDB table every instance remembers DPoP proofs in (pk String, TTL on `ttl`); unset: each process's
  // own memory.
  DPOP_REPLAY_TABLE: Type.Optional(Type.String({ pattern: '^[\\w.-]{3,255}$' })),
  // Auth0 RBAC: a route's permissions are read from the `permissions` claim only; `true` also counts `scope`,
  // for a tenant that puts permissions there (see README, Permissions).
  AUTH0_PERMISSIONS_IN_SCOPE: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'false' }),
  // The API's URL as clients call it (scheme, host, optional base path): DPoP proofs name it in `htu`.
  API_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$' })),
  LOG_LEVEL: Type.Union([
    Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'),
    Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')
  ], { default: 'info' })
})

export type Settings = Static<typeof ConfigSchema>

/** The settings, and what the app needs from them, derived once, here (withDerived). */
export type Config = Settings & {
  /** The exact `iss` of Auth0's access tokens (issuerFromDomain). */
  issuer: string
  /** AUTH0_ALLOWED_CLIENT_IDS as a list; undefined: every application. */
  allowedClientIds?: string[]
  /** API_PUBLIC_URL without its trailing slash. */
  publicUrl?: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Reads and validates the API's settings from `env`, and throws one ConfigError naming every problem.
 * Empty values count as unset, so `KEY=` in a compose file falls back to the default instead of failing a pattern.
 */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const data = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const required = new Set<string>(ConfigSchema.required)
  const config: Record<string, unknown> = {}
  const missing: string[] = []
  const invalid: string[] = []
  for (const [name, schema] of Object.entries(ConfigSchema.properties) as Array<[string, Keywords]>) {
    const given = data[name] ?? schema.default
    if (given === undefined) {
      if (required.has(name)) missing.push(`${name} is ${env[name] === '' ? 'empty' : 'not set'}`)
      continue
    }
    const { value, problems } = check(schema, given)
    config[name] = value
    invalid.push(...problems.map(problem => `${name} ${problem}`))
  }
  const problems = [...missing, ...invalid, ...placeholders(config)]
  let derived: Config | undefined
  // The endpoints are judged next to a usable AUTH0_DOMAIN only: without one, what is missing says enough.
  if (typeof config.AUTH0_DOMAIN === 'string') {
    try {
      derived = withDerived(config as Settings)
      problems.push(...endpointProblems(derived))
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems.push(err.message)
    }
  }
  if (problems.length || !derived) throw new ConfigError(problems.join('; '))
  return derived
}

/** Adds what the app uses in another form than the environment gives it. */
export function withDerived (settings: Settings): Config {
  return {
    ...settings,
    issuer: issuerFromDomain(settings.AUTH0_DOMAIN),
    allowedClientIds: settings.AUTH0_ALLOWED_CLIENT_IDS?.split(',').map(id => id.trim()),
    publicUrl: settings.API_PUBLIC_URL?.replace(/\/+$/, '')
  }
}

/** The JSON Schema keywords ConfigSchema uses. */
interface Keywords {
  type?: string
  default?: unknown
  const?: unknown
  anyOf?: Keywords[]
  minLength?: number
  maxLength?: number
  pattern?: string
  minimum?: number
  maximum?: number
}

/**
 * One value against its schema, in ajv's words and with its type coercion (a numeric string becomes a number):
 * what env-schema answered, without compiling ajv validators, which cost every Lambda cold start ~100 ms.
 */
function check (schema: Keywords, given: unknown): { value: unknown, problems: string[] } {
  if (schema.anyOf) {
    const branches = schema.anyOf.map(branch => check(branch, given))
    return branches.find(({ problems }) => problems.length === 0) ??
      { value: given, problems: [...branches.flatMap(({ problems }) => problems), 'must match a schema in anyOf'] }
  }
  const numeric = schema.type === 'integer' && typeof given === 'string' && given !== '' && !isNaN(Number(given))
  const value = numeric ? Number(given) : given
  if (schema.type === 'integer' && !Number.isInteger(value)) return { value, problems: ['must be integer'] }
  if (schema.type === 'string' && typeof value !== 'string') return { value, problems: ['must be string'] }
  const problems: string[] = []
  const { maximum, minimum, maxLength, minLength, pattern } = schema
  if (maximum !== undefined && (value as number) > maximum) problems.push(`must be <= ${maximum}`)
  if (minimum !== undefined && (value as number) < minimum) problems.push(`must be >= ${minimum}`)
  if (maxLength !== undefined && (value as string).length > maxLength) {
    problems.push(`must NOT have more than ${maxLength} characters`)
  }
  if (minLength !== undefined && (value as string).length < minLength) {
    problems.push(`must NOT have fewer than ${minLength} characters`)
  }
  if (pattern !== undefined && !new RegExp(pattern, 'u').test(value as string)) {
    problems.push(`must match pattern "${pattern}"`)
  }
  if ('const' in schema && value !== schema.const) problems.push('must be equal to constant')
  return { value, problems }
}

/**
 * A value left from .env.example (`your-tenant.eu.auth0.com`, `https://api.example.com`): it contains `your-` or
 * names an RFC 2606 example domain (example.com, .org, .net, or a subdomain). `.test` names are not placeholders:
 * the stand-ins use https://api.local.test. `npm start` applies the same rule to the SPA's values.
 */
export function isPlaceholder (value: string): boolean {
  return /your-|(^|[/.@])example\.(com|org|net)($|[/:])/i.test(value)
}

function placeholders (env: Partial<Record<string, unknown>>): string[] {
  return (['AUTH0_DOMAIN', 'AUTH0_AUDIENCE', 'AUTH0_EMAIL_CLAIM', 'AUTH0_JWKS_URI', 'COGNITO_USER_POOL_ID'] as const)
    .filter(name => isPlaceholder(String(env[name] ?? '')))
    .map(name => `${name} is still the .env.example placeholder (${env[name]})`)
}

/**
 * Auth0, its JWKS and Cognito are reached over https. Plain http is only for the local stand-ins: on
 * loopback, or the compose services `idp`, `cognito` and `dynamodb`. Both sides are real or both are stand-ins: a real
 * tenant is never paired with a stand-in's keys or users, and a stand-in's tokens never read a real user pool.
 */
function endpointProblems (config: Config): string[] {
  const issuer = new URL(config.issuer)
  const local = issuer.protocol === 'http:'
  const problems = local && !LOOPBACK.has(issuer.hostname)
    ? [`AUTH0_DOMAIN must use https unless it is on loopback: ${config.AUTH0_DOMAIN}`]
    : []
  const api = config.API_PUBLIC_URL
  if (api && !URL.canParse(api)) problems.push(`API_PUBLIC_URL is not a URL: ${api}`)
  // The API's own address, whatever AUTH0_DOMAIN is: http only where no one stands between browser and API.
  else if (api?.startsWith('http:') && !LOOPBACK.has(new URL(api).hostname)) {
    problems.push(`API_PUBLIC_URL must use https unless it is on loopback: ${api}`)
  }
  const endpoints = ['AUTH0_JWKS_URI', 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_ENDPOINT_URL'] as const
  for (const name of endpoints) {
    const value = config[name]
    if (!value || !value.startsWith('http:')) continue
    const host = URL.canParse(value) ? new URL(value).hostname : ''
    if (!local) problems.push(`${name} must use https with a real Auth0 domain (http is for stand-ins): ${value}`)
    else if (!LOOPBACK.has(host) && !STAND_INS.has(host)) {
      problems.push(`${name} must use https unless it is on loopback or a compose stand-in: ${value}`)
    }
  }
  // The SDK takes the service's own endpoint over the one for every service.
  const cognito = config.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? config.AWS_ENDPOINT_URL
  if (local && LOOPBACK.has(issuer.hostname) && !cognito?.startsWith('http:')) {
    problems.push(`AUTH0_DOMAIN is a local stand-in (${config.AUTH0_DOMAIN}) but Cognito is not: set ` +
      'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER to the Cognito stand-in, or AUTH0_DOMAIN to your tenant')
  }
  return problems
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])
/** The stand-ins' service names in docker-compose.yml. */
const STAND_INS = new Set(['idp', 'cognito', 'dynamodb'])

/** The entry points' way to fail at boot: one line naming every variable at fault, no stack trace. */
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
