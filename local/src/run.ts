/**
 * `npm start`: builds the API and the SPA, then runs everything on localhost. With no `.env` it
 * also starts the local Auth0 and Cognito stand-ins; with a `.env` it uses the values there (real
 * Auth0 and AWS) and starts no stand-in. Ctrl-C stops every process it started.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { build, DEFAULT_PORTS, localEnv, ROOT, startStack } from './stack.js'
import { USERS } from './users.js'

const envFile = `${ROOT}.env`
const real = existsSync(envFile)
const env = real ? parseEnv(readFileSync(envFile, 'utf8')) as Record<string, string> : localEnv(DEFAULT_PORTS)
const ports = {
  ...DEFAULT_PORTS,
  api: Number(env.BACKEND_PORT || DEFAULT_PORTS.api),
  spa: Number(env.FRONTEND_PORT || DEFAULT_PORTS.spa)
}

console.log(real ? 'Using .env: real Auth0 and AWS, no stand-ins.' : 'No .env: using the local Auth0 and Cognito stand-ins.')
console.log('Building the API and the SPA…')
build(env)
const stack = await startStack({ ports, webDist: `${ROOT}web/dist`, standIns: !real, env })

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.log('\nStopping…')
    stack.stop().then(() => process.exit(0), () => process.exit(1))
  })
}

console.log(`
  App          ${stack.urls.spa}
  API          ${stack.urls.api}  (GET /health, GET /me)
  Auth0        ${stack.urls.idp}${real ? '' : '  (local stand-in)'}
${real
  ? ''
  : `  Cognito      ${env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER}  (cognito-local, pool ${env.COGNITO_USER_POOL_ID})

  Demo users
${USERS.map(u => `    ${u.email.padEnd(20)} ${u.password.padEnd(17)} ${u.federated ? 'has a federated Cognito user' : 'no Cognito user yet: federated_user is null'}`).join('\n')}
`}
Press Ctrl-C to stop.`)
