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
    problems.push(...err.message.split('; '))
  }
  const placeholder = (name: string) => `${name} is still the .env.example placeholder (${env[name]})`
  for (const name of CONFIG_KEYS) {
    const value = env[name]
    if (!value?.trim()) problems.push(`${name} is ${value === undefined ? 'not set' : 'empty'}`)
    else if (isPlaceholder(value)) problems.push(placeholder(name))
  }
  const spa = readConfig(env)
  if (!spa.ok) problems.push(...spa.invalid.map(entry => entry.replace(/^(\w+): /, '$1 must be ')))
  // Not read at run time (the README's Cognito steps and SAM use it), but a placeholder means a half-filled file.
  if (env.AUTH0_CLIENT_ID && isPlaceholder(env.AUTH0_CLIENT_ID)) problems.push(placeholder('AUTH0_CLIENT_ID'))
  // The SPA's port is the runner's own setting; the API checks BACKEND_PORT.
  const port = env.FRONTEND_PORT
  if (port && !(Number.isInteger(Number(port)) && Number(port) > 0 && Number(port) < 65536)) {
    problems.push(`FRONTEND_PORT is not a port number: ${port}`)
  }
  return problems
}
