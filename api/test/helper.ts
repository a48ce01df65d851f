import type { Test } from 'tap'
import { buildApp, type Deps } from '../src/app.js'
import { withDerived, type Config, type Settings } from '../src/config.js'
import { POOL_ID, PROVIDER, startCognitoStub } from './fixtures/cognito-stub.js'
import { AUDIENCE, startIdentityProvider } from './fixtures/identity-provider.js'

export const EMAIL_CLAIM = 'https://api.example.test/email'

export function testConfig (overrides: Partial<Settings> = {}): Config {
  return withDerived({
    AUTH0_DOMAIN: 'http://127.0.0.1:9',
    AUTH0_AUDIENCE: AUDIENCE,
    AUTH0_EMAIL_CLAIM: EMAIL_CLAIM,
    AWS_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: POOL_ID,
    COGNITO_AUTH0_PROVIDER_NAME: PROVIDER,
    HOST: '127.0.0.1',
    BACKEND_PORT: 8000,
    FRONTEND_ORIGIN: 'http://localhost:3000',
    DPOP_MODE: 'allowed',
    AUTH0_PERMISSIONS_IN_SCOPE: 'false',
    LOG_LEVEL: 'silent',
    ...overrides
  })
}

interface BuildOptions {
  config?: Config
  deps?: Partial<Deps>
}

export async function build (t: Test, { config = testConfig(), deps = {} }: BuildOptions = {}) {
  const app = buildApp(config, { logger: false, ...deps })
  t.after(() => app.close())
  await app.ready()
  return app
}

/**
 * The API wired to a JWKS server and a Cognito stub on 127.0.0.1, through the same SDK client
 * and environment variables production uses (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, static keys).
 */
export async function setup (t: Test, overrides: Partial<Config> = {}, deps: Partial<Deps> = {}) {
  const [idp, cognito] = await Promise.all([startIdentityProvider(), startCognitoStub()])
  t.after(() => Promise.all([idp.close(), cognito.close()]))
  setEnv(t, {
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret'
  })
  const app = await build(t, { config: testConfig({ AUTH0_DOMAIN: idp.domain, ...overrides }), deps })
  return { app, idp, cognito }
}

/** Sets environment variables for one test and puts the previous values back after it. */
export function setEnv (t: Test, values: Record<string, string>) {
  const previous = Object.fromEntries(Object.keys(values).map(name => [name, process.env[name]]))
  Object.assign(process.env, values)
  t.after(() => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** A logger that keeps its JSON lines, for tests that assert what was logged. */
export function captureLogs (level = 'info') {
  const lines: Array<Record<string, unknown>> = []
  return { lines, logger: { level, stream: { write: (line: string) => { lines.push(JSON.parse(line)) } } } }
}
