/**
 * Checks a real `.env` before anything is built: every value the API and the SPA need is set and
 * is not a placeholder left from .env.example, so that one message names every gap at once.
 */

/** The API's required settings, then the SPA's (baked into the bundle at build time). */
const REQUIRED = [
  'AUTH0_DOMAIN', 'AUTH0_AUDIENCE', 'AWS_REGION', 'COGNITO_USER_POOL_ID',
  'VITE_AUTH0_DOMAIN', 'VITE_AUTH0_CLIENT_ID', 'VITE_AUTH0_AUDIENCE', 'VITE_AUTH0_REDIRECT_URI', 'VITE_BACKEND_BASE_URL'
]
// May stay empty, but a placeholder there means the .env is still half filled in (the API refuses one in
// AUTH0_JWKS_URI). AUTH0_EMAIL_CLAIM is left out on purpose: it names a claim, not an endpoint, and a
// wrong one only leaves the email empty.
const OPTIONAL = ['AUTH0_CLIENT_ID', 'AUTH0_JWKS_URI']
const PORTS = ['BACKEND_PORT', 'FRONTEND_PORT']

/**
 * A value left from .env.example: it contains `your-` or names an RFC 2606 example domain (example.com,
 * .org, .net, or a subdomain). `.test` names are not placeholders: the stand-ins use https://api.local.test.
 * The same rule as the API's PLACEHOLDER (api/src/config.ts), so both refuse the same values.
 */
export function isPlaceholder (value: string): boolean {
  return /your-|(^|[/.@])example\.(com|org|net)($|[/:])/i.test(value)
}

/** One phrase per problem, e.g. `COGNITO_USER_POOL_ID is empty`; none when `env` is usable. */
export function envProblems (env: Record<string, string | undefined>): string[] {
  const problems: string[] = []
  for (const name of [...REQUIRED, ...OPTIONAL]) {
    const value = env[name]
    if (value === undefined || value === '') {
      if (REQUIRED.includes(name)) problems.push(`${name} is ${value === undefined ? 'not set' : 'empty'}`)
    } else if (isPlaceholder(value)) {
      problems.push(`${name} is still the .env.example placeholder (${value})`)
    }
  }
  for (const name of PORTS) {
    const value = env[name]
    const port = Number(value)
    const valid = Number.isInteger(port) && port > 0 && port < 65536
    if (value && !valid) problems.push(`${name} is not a port number: ${value}`)
  }
  // The SPA's switch for DPoP (web/src/config.ts): a typo would otherwise only show once the app is open.
  const dpop = env.VITE_AUTH0_USE_DPOP?.trim()
  if (dpop && !/^(true|false)$/i.test(dpop)) problems.push(`VITE_AUTH0_USE_DPOP is neither true nor false: ${dpop}`)
  return problems
}
