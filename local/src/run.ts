/**
 * `npm start`: builds the API and the SPA, then runs everything on localhost. With no `.env` it
 * also starts the local Auth0 and Cognito stand-ins; with a `.env` it uses the values there (real
 * Auth0 and AWS) and starts no stand-in. Ctrl-C or SIGTERM stops every process it started; when one
 * of them exits on its own, it says which, shows its last lines, stops the others and exits with 1.
 *
 * Options (`npm start -- <options>`): `--dotenv <path>` reads that file instead of the root `.env`;
 * `--web-dist <dir>` builds the SPA into, and serves it from, `dir` instead of web/dist;
 * `--no-build` serves what api/dist and the SPA folder already hold (the tests build once).
 *
 * DPoP: `VITE_AUTH0_USE_DPOP=true` in `.env`, or in the shell for the stand-ins (`VITE_AUTH0_USE_DPOP=true npm start`),
 * reaches the SPA build like every VITE_ value: the caller's environment, then the file's, over it. Any .env means
 * real services, so a .env holding only VITE_ values is refused with a message that says so.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs, parseEnv } from 'node:util'
import { banner } from './banner.js'
import { envProblems } from './env-check.js'
import { portProblem } from './process.js'
import { build, DEFAULT_PORTS, localEnv, ROOT, startStack } from './stack.js'

/** Refuses with one message and exit code 1: no stack trace, nothing started. */
function fail (message: string): never {
  console.error(message)
  process.exit(1)
}

let options
try {
  options = parseArgs({
    options: { dotenv: { type: 'string' }, 'web-dist': { type: 'string' }, 'no-build': { type: 'boolean' } }
  }).values
} catch (err) {
  fail((err as Error).message)
}

const envName = options.dotenv ?? '.env'
const envFile = options.dotenv ?? `${ROOT}.env`
const real = existsSync(envFile)
if (options.dotenv && !real) fail(`--dotenv ${envName}: no such file`)
const env = real ? parseEnv(readFileSync(envFile, 'utf8')) as Record<string, string> : localEnv(DEFAULT_PORTS)

if (real) {
  // What the API and the build will see: the file's values over the caller's environment.
  const problems = envProblems({ ...process.env, ...env })
  const names = Object.keys(env)
  if (problems.length && names.every(name => name.startsWith('VITE_'))) {
    // Most likely someone who wanted a VITE_ switch (DPoP) with the stand-ins: the nine "is not set" would not say so.
    const inShell = names.map(name => `${name}=${env[name]} `).join('')
    fail(`Configuration error in ${envName}: it ${names.length ? `sets only ${names.join(', ')}` : 'is empty'}, ` +
      'and any .env file switches the local stand-ins off: it must then configure real Auth0 and AWS ' +
      '(see .env.example). To keep the stand-ins, start without a .env' +
      (names.length ? `, and pass the VITE_ settings in the shell: ${inShell}npm start` : ': npm start'))
  }
  if (problems.length) {
    // One problem per line, as the API prints them at boot.
    fail(`Configuration error in ${envName}:\n${problems.map(problem => `  ${problem}\n`).join('')}Fill them in ` +
      `(see .env.example and the README's "Real Auth0 and Cognito"), or delete ${envName} to run the local stand-ins.`)
  }
}

const ports = {
  ...DEFAULT_PORTS,
  api: Number(env.BACKEND_PORT || DEFAULT_PORTS.api),
  spa: Number(env.FRONTEND_PORT || DEFAULT_PORTS.spa)
}
const wanted: Array<[string, number]> = [['API', ports.api], ['SPA', ports.spa]]
if (!real) {
  wanted.unshift(['Auth0 stand-in', ports.idp], ['Cognito stand-in', ports.cognito],
    ['DynamoDB stand-in', ports.dynamodb], ['Identity pool stand-in', ports.identityPool],
    ['IAM gateway stand-in', ports.iamGateway])
}
const busy: string[] = []
for (const [name, port] of wanted) {
  const problem = await portProblem(port)
  if (problem === 'EADDRINUSE') {
    busy.push(`Port ${port} (${name}) is already in use: is another \`npm start\` (or docker compose up) running?`)
  } else if (problem) {
    busy.push(`Port ${port} (${name}) cannot be opened: ${problem}`)
  }
}
if (busy.length) fail(busy.join('\n'))

// From here on, Ctrl-C and SIGTERM both stop whatever has started (during start-up: once it has).
const signalled = new Promise<null>(resolve => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve(null))
})
let stopping = false

const webDist = options['web-dist'] ?? `${ROOT}web/dist`
if (real) console.log(`Using ${envName}: real Auth0 and AWS, no stand-ins.`)
else console.log('No .env: using the local Auth0 and Cognito stand-ins.')
const useDpop = { ...process.env, ...env }.VITE_AUTH0_USE_DPOP?.trim().toLowerCase() === 'true'
if (useDpop) console.log('VITE_AUTH0_USE_DPOP=true: the SPA binds its access tokens to its key (DPoP).')
const useRefreshTokens = { ...process.env, ...env }.VITE_AUTH0_USE_REFRESH_TOKENS?.trim().toLowerCase() === 'true'
if (useRefreshTokens) console.log('VITE_AUTH0_USE_REFRESH_TOKENS=true: sessions kept with rotating refresh tokens.')
if (!options['no-build']) {
  console.log('Building the API and the SPA…')
  // A signal during the build stops it at once, as Ctrl-C does (the terminal sends that to the build too).
  const abort = new AbortController()
  signalled.then(() => abort.abort(), () => {})
  try {
    await build(env, webDist, abort.signal)
  } catch (err) {
    if (abort.signal.aborted) {
      console.log('\nStopping…')
      process.exit(0)
    }
    fail((err as Error).message)
  }
}

const started = startStack({ ports, webDist, standIns: !real, env })
const cognito = real
  ? undefined
  : { endpoint: env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER!, poolId: env.COGNITO_USER_POOL_ID! }
const aws = real
  ? undefined
  : {
      identityEndpoint: env.VITE_COGNITO_IDENTITY_ENDPOINT!,
      identityPoolId: env.VITE_COGNITO_IDENTITY_POOL_ID!,
      gateway: env.VITE_AWS_API_BASE_URL!
    }
started.then(stack => { if (!stopping) console.log(banner({ urls: stack.urls, cognito, aws })) }, () => {})

// Whichever comes first ends the run: a signal (null), or a process failing at start-up or exiting later (its report).
const failure = await Promise.race([
  signalled,
  started.then(stack => stack.exited, (err: Error) => err.message)
])
stopping = true
if (failure) console.error(`\n${failure}\nStopping the others…`)
else console.log('\nStopping…')
await started.then(stack => stack.stop(), () => {})
process.exit(failure ? 1 : 0)
