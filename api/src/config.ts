import { Type, type Static, type TSchema } from 'typebox'
import { Check, Convert, Default, Errors } from 'typebox/value'

const NonEmpty = (description: string) => Type.String({ minLength: 1, description })
/** An http(s) origin with no path, the form the AWS SDK takes for an endpoint override. */
const ENDPOINT = { pattern: '^https?://[^/]+/?$', expected: 'an http(s) URL without a path' }

/**
 * Every variable the API reads, with its default. `expected` says in plain words what a value must be: an error
 * names it rather than the pattern or bound that refused the value (an enum names its values itself).
 */
export const ConfigSchema = Type.Object({
  AUTH0_DOMAIN: NonEmpty('Auth0 tenant or custom domain; an explicit http(s)://host:port is kept as is'),
  AUTH0_AUDIENCE: NonEmpty('Identifier of the Auth0 API; access tokens must carry it in aud'),
  AUTH0_EMAIL_CLAIM: Type.String({ minLength: 1, default: 'email' }),
  AUTH0_JWKS_URI: Type.Optional(Type.String({ pattern: '^https?://[^/]+/', expected: 'an http(s) URL' })),
  AUTH0_ALLOWED_CLIENT_IDS: Type.Optional(Type.String({
    pattern: '^[\\w-]+( *, *[\\w-]+)*$', expected: 'client IDs separated by commas'
  })),
  // Read by the AWS SDK itself (the service's own variable, or the one for every service); listed here so
  // that a plain-http endpoint is checked like the others.
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: Type.Optional(Type.String(ENDPOINT)),
  AWS_ENDPOINT_URL: Type.Optional(Type.String(ENDPOINT)),
  AWS_REGION: Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$', expected: 'an AWS Region such as eu-west-1' }),
  COGNITO_USER_POOL_ID: Type.String({
    pattern: '^[\\w-]+_[0-9a-zA-Z]+$', expected: 'a user pool ID such as eu-west-1_AbC123xyz'
  }),
  COGNITO_AUTH0_PROVIDER_NAME: Type.String({ maxLength: 32, default: 'Auth0', expected: 'at most 32 characters' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  BACKEND_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8000, expected: 'a port number, 1 to 65535' }),
  FRONTEND_ORIGIN: Type.String({
    pattern: '^https?://[^/]+$', default: 'http://localhost:3000', expected: 'an http(s) origin, with no path'
  }),
  // DPoP (RFC 9449): `allowed` verifies proofs for bound tokens and still takes unbound Bearer tokens.
  DPOP_MODE: Type.Enum(['allowed', 'required', 'disabled'], { default: 'allowed' }),
  // The API's URL as clients call it (scheme, host, optional base path): DPoP proofs name it in `htu`.
  API_PUBLIC_URL: Type.Optional(Type.String({
    pattern: '^https?://[^/?#]+(/[^?#]*)?$', expected: 'an http(s) URL with no query or fragment'
  })),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' })
})

export type Settings = Static<typeof ConfigSchema>

/** The variables with neither a default nor Type.Optional: the ones a caller of withDerived must give. */
export const NO_DEFAULT = ['AUTH0_DOMAIN', 'AUTH0_AUDIENCE', 'AWS_REGION', 'COGNITO_USER_POOL_ID'] as const

/** The settings, and what the app needs from them, derived once, here (withDerived). */
export type Config = Settings & {
  /** The exact `iss` of Auth0's access tokens (issuerFromDomain). */
  issuer: string
  /** AUTH0_ALLOWED_CLIENT_IDS as a list; undefined: every application. */
  allowedClientIds?: string[]
  /** API_PUBLIC_URL without its trailing slash. */
  publicUrl?: string
}

/** Every problem found in the environment, one line each. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  readonly problems: string[]
  constructor (problems: string | string[]) {
    const list = typeof problems === 'string' ? [problems] : problems
    super(list.join('\n'))
    this.problems = list
  }
}

type Env = Record<string, string | undefined>

/**
 * Reads and validates the API's settings from `env`, and throws one ConfigError naming every problem.
 * Empty values count as unset, so `KEY=` in a compose file falls back to the default instead of failing a pattern.
 */
export function loadConfig (env: Env = process.env): Config {
  const given = Object.fromEntries(Object.keys(ConfigSchema.properties)
    .filter(name => env[name] !== undefined && env[name] !== '').map(name => [name, env[name]]))
  const settings = Default(ConfigSchema, { ...given }) as Record<string, unknown>
  // Only integers need converting, each by itself (converting the whole object costs a cold start ~2 ms more).
  // Convert would read `true` as 1 and `0x1F` as 31: digits only, else the text stays and fails the check.
  for (const [name, raw] of Object.entries(given)) {
    const schema = property(name)
    if (schema?.type === 'integer' && /^\s*\d+\s*$/.test(raw!)) settings[name] = Convert(schema, raw)
  }
  const problems = Check(ConfigSchema, settings) ? [] : schemaProblems(env, settings)
  problems.push(...placeholders(settings))
  let derived: Config | undefined
  // The endpoints are judged next to a usable AUTH0_DOMAIN only: without one, what is missing says enough.
  if (typeof settings.AUTH0_DOMAIN === 'string') {
    try {
      derived = withDerived(settings as Settings)
      problems.push(...endpointProblems(derived))
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems.push(...err.problems)
    }
  }
  // One line per variable: the first problem found with it says enough.
  const lines = problems.filter((line, i) => !problems.slice(0, i).some(earlier => sameName(earlier, line)))
  if (lines.length || !derived) throw new ConfigError(lines)
  return derived
}

const property = (name: string) =>
  (ConfigSchema.properties as Record<string, TSchema & { type?: string, enum?: string[], expected?: string }>)[name]

const sameName = (a: string, b: string) => a.split(' ', 1)[0] === b.split(' ', 1)[0]

/** TypeBox's errors in plain words: `X is not set`, `X must be <what it takes> (got "<value>")`. */
function schemaProblems (env: Env, settings: Record<string, unknown>): string[] {
  return [...Errors(ConfigSchema, settings)].flatMap(error => {
    if (error.keyword === 'required') {
      const names = (error.params as { requiredProperties: string[] }).requiredProperties
      return names.map(name => `${name} is ${env[name] === '' ? 'empty' : 'not set'}`)
    }
    const name = error.instancePath.slice(1)
    const schema = property(name)
    const expected = schema?.enum ? `one of ${schema.enum.join(', ')}` : schema?.expected
    const got = `(got ${JSON.stringify(env[name])})`
    return [expected ? `${name} must be ${expected} ${got}` : `${name} ${error.message} ${got}`]
  })
}

/**
 * Adds what the app uses in another form than the environment gives it. What has a default may be left out
 * (the tests' literal settings): it gets the schema's default here.
 */
export function withDerived (given: Partial<Settings> & Pick<Settings, typeof NO_DEFAULT[number]>): Config {
  const settings = Default(ConfigSchema, { ...given }) as Settings
  return {
    ...settings,
    issuer: issuerFromDomain(settings.AUTH0_DOMAIN),
    allowedClientIds: settings.AUTH0_ALLOWED_CLIENT_IDS?.split(',').map(id => id.trim()),
    publicUrl: settings.API_PUBLIC_URL?.replace(/\/+$/, '')
  }
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
 * loopback, or the compose services `idp` and `cognito`. Both sides are real or both are stand-ins: a real
 * tenant is never paired with a stand-in's keys or users, and a stand-in's tokens never read a real user pool.
 */
function endpointProblems (config: Config): string[] {
  const issuer = new URL(config.issuer)
  const local = issuer.protocol === 'http:'
  const got = (value: string) => `(got ${JSON.stringify(value)})`
  const problems = local && !LOOPBACK.has(issuer.hostname)
    ? [`AUTH0_DOMAIN must use https unless it is on loopback ${got(config.AUTH0_DOMAIN)}`]
    : []
  const api = config.API_PUBLIC_URL
  if (api && !URL.canParse(api)) problems.push(`API_PUBLIC_URL must be a URL ${got(api)}`)
  // The API's own address, whatever AUTH0_DOMAIN is: http only where no one stands between browser and API.
  else if (api?.startsWith('http:') && !LOOPBACK.has(new URL(api).hostname)) {
    problems.push(`API_PUBLIC_URL must use https unless it is on loopback ${got(api)}`)
  }
  for (const name of ['AUTH0_JWKS_URI', 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'AWS_ENDPOINT_URL'] as const) {
    const value = config[name]
    if (!value || !value.startsWith('http:')) continue
    const host = URL.canParse(value) ? new URL(value).hostname : ''
    if (!local) problems.push(`${name} must use https with a real Auth0 domain (http is for stand-ins) ${got(value)}`)
    else if (!LOOPBACK.has(host) && !STAND_INS.has(host)) {
      problems.push(`${name} must use https unless it is on loopback or a compose stand-in ${got(value)}`)
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
const STAND_INS = new Set(['idp', 'cognito'])

/** The entry points' way to fail at boot: one line per problem, each naming its variable, no stack trace. */
export function loadConfigOrExit (env = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(err.problems.map(problem => `Configuration error: ${problem}`).join('\n'))
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
    throw new ConfigError(`AUTH0_DOMAIN must be a host name or an http(s) origin (got ${JSON.stringify(domain)})`)
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`AUTH0_DOMAIN must be a host name or an http(s) origin, with no path (got ${
      JSON.stringify(domain)})`)
  }
  return `${url.origin}/`
}
