/**
 * Checks a real `.env` before anything is built, with the same rules the API and the SPA apply when they
 * start, so that one message names every gap at once: the API's settings by its own `loadConfig`, the SPA's
 * by its own `readConfig`, plus what only a filled-in file can get wrong (a placeholder, a port).
 * The runner imports these two pure functions so that it can never accept what the apps refuse; the apps never
 * import local/, and the stand-ins meet them only through URLs and environment variables.
 */
import { ConfigError, isPlaceholder, loadConfig } from '../../api/src/config.js'
import { CONFIG_KEYS, readConfig } from '../../web/src/config.js'

/** One phrase per problem, e.g. `COGNITO_USER_POOL_ID is not set`; none when `env` is usable. */
export function envProblems (env: Record<string, string | undefined>): string[] {
  const problems: string[] = []
  try {
    loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    problems.push(...err.problems)
  }
  const spa = readConfig(env)
  const spaProblems = spa.ok ? [] : spa.problems
  // The SPA cannot tell a placeholder (the rule is the API's): added for a key it found nothing wrong with, and
  // listed in CONFIG_KEYS' order with the rest (stable sort; a key not in it, VITE_AUTH0_USE_DPOP, goes last).
  const placeholder = (name: string) => `${name} is still the .env.example placeholder (${env[name]})`
  const named = (name: string) => spaProblems.some(problem => problem.startsWith(`${name} `))
  const left = CONFIG_KEYS.filter(name => !named(name) && isPlaceholder(env[name] ?? ''))
  const rank = (line: string) => (CONFIG_KEYS as readonly string[]).indexOf(line.split(' ', 1)[0]!) >>> 0
  problems.push(...[...spaProblems, ...left.map(placeholder)].sort((a, b) => rank(a) - rank(b)))
  // Not read at run time (the README's Cognito steps and SAM use it), but a placeholder means a half-filled file.
  if (env.AUTH0_CLIENT_ID && isPlaceholder(env.AUTH0_CLIENT_ID)) problems.push(placeholder('AUTH0_CLIENT_ID'))
  // The SPA's port is the runner's own setting; the API checks BACKEND_PORT, in the same words.
  const port = env.FRONTEND_PORT
  if (port && !(/^\d+$/.test(port) && Number(port) > 0 && Number(port) < 65536)) {
    problems.push(`FRONTEND_PORT must be a port number, 1 to 65535 (got ${JSON.stringify(port)})`)
  }
  return problems
}
