/**
 * `npm run test:sam`: the Lambda path through AWS's own emulator, on the Docker engine the environment points to
 * (DOCKER_HOST or the default socket; it never starts one). It runs the README's `npm run sam:build --workspace api`
 * and `sam local start-api` with env.local.json, the stand-ins on the host (reached by the function's container on
 * the engine's gateway as `idp` and `cognito`, as in docker compose), then the same browser flow as the native and
 * compose suites with the SPA calling SAM's address, a 401 and a CORS preflight through SAM's API emulation.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout } from 'node:timers/promises'
import t from 'tap'
import { startCognito } from '../../local/src/cognito.js'
import { createIdp } from '../../local/src/idp.js'
import { startNginx } from '../../local/src/nginx.js'
import { stopChild } from '../../local/src/process.js'
import { buildSpa, DEFAULT_PORTS, localEnv, ROOT } from '../../local/src/stack.js'
import { flowTests } from '../test/flow.js'
import { gateway, LAMBDA_IMAGE, run, samVersion } from './sam-needs.js'

/** The README's command. The stand-ins' names resolve to the engine's gateway, where they listen. */
const SAM_START_API = [
  'local', 'start-api', '--skip-pull-image', '--warm-containers', 'LAZY', '--env-vars', 'env.local.json',
  '--host', '127.0.0.1', '--port', String(DEFAULT_PORTS.api), '--add-host', 'idp:host-gateway',
  '--add-host', 'cognito:host-gateway'
]

t.comment(`${samVersion}, ${LAMBDA_IMAGE}, the engine's gateway ${gateway}`)

const env = localEnv(DEFAULT_PORTS)
const samEnv = JSON.parse(readFileSync(`${ROOT}env.local.json`, 'utf8')).ApiFunction as Record<string, string>
const stops: Array<() => Promise<unknown>> = []
t.teardown(async () => { for (const stop of stops.reverse()) await stop().catch(() => {}) })

const built = run('npm', ['run', 'sam:build', '--workspace', 'api'], 300_000)
if (!built.ok) throw new Error(`npm run sam:build --workspace api failed:\n${built.out}`)
const webDist = mkdtempSync(join(tmpdir(), 'web-dist-'))
stops.push(async () => rmSync(webDist, { recursive: true, force: true }))
// Only the SPA: the function is what `sam build` made from api/src, not api/dist.
await buildSpa(env, webDist)

// One identity provider, served where the browser looks for it (localhost) and where the function does (gateway).
const { provider } = createIdp({
  origin: env.AUTH0_DOMAIN!,
  clientId: env.AUTH0_CLIENT_ID!,
  appOrigin: env.FRONTEND_ORIGIN!,
  audience: env.AUTH0_AUDIENCE!,
  emailClaim: env.AUTH0_EMAIL_CLAIM!
})
for (const host of ['127.0.0.1', gateway]) {
  const server: Server = createServer(provider.callback())
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(DEFAULT_PORTS.idp, host, resolve))
  stops.push(() => new Promise(resolve => { server.closeAllConnections(); server.close(resolve) }))
}
const cognito = await startCognito({
  port: DEFAULT_PORTS.cognito,
  host: gateway,
  region: env.AWS_REGION!,
  userPoolId: env.COGNITO_USER_POOL_ID!,
  providerName: env.COGNITO_AUTH0_PROVIDER_NAME!
})
stops.push(cognito.close)
stops.push((await startNginx(webDist, DEFAULT_PORTS.spa)).close)

const samContainers = () => run('docker', ['ps', '-aq', '--no-trunc', '--filter', 'label=sam.cli.container.type'])
  .out.split('\n').filter(Boolean)
const before = new Set(samContainers())
// sam hands the function the shell's value of every variable the template declares (a developer's AUTH0_DOMAIN...)
// and the shell's AWS credentials: it gets only what it needs, and dummy credentials. tap adds its NODE_OPTIONS to
// every child's environment whatever the test passes, hence `env -u`: the function must not get tap's loader.
const samShell = Object.fromEntries(Object.entries(process.env)
  .filter(([name]) => ['PATH', 'HOME', 'LANG', 'TMPDIR'].includes(name) || /^(DOCKER|SAM_CLI)_/.test(name)))
const sam = spawn('env', ['-u', 'NODE_OPTIONS', 'sam', ...SAM_START_API], {
  cwd: ROOT,
  env: { ...samShell, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: env.AWS_REGION },
  stdio: ['ignore', 'pipe', 'pipe']
})
let samOutput = ''
for (const stream of [sam.stdout, sam.stderr]) stream.on('data', (chunk: Buffer) => { samOutput += chunk })
stops.push(async () => {
  // Ctrl-C is how sam expects to stop: it then removes its warm container. SIGTERM after 30 s, in case.
  const closed = new Promise(resolve => sam.once('close', resolve))
  sam.kill('SIGINT')
  await Promise.race([closed, setTimeout(30_000, null, { ref: false })])
  await stopChild(sam)
  const left = samContainers().filter(id => !before.has(id))
  if (left.length) run('docker', ['rm', '-f', ...left])
  if (!t.passing()) console.error(`# sam local start-api said:\n${samOutput}`)
})
const api = `http://127.0.0.1:${DEFAULT_PORTS.api}`
const deadline = Date.now() + 60_000
while (!samOutput.includes(`Running on ${api}`)) {
  if (sam.exitCode !== null || Date.now() > deadline) {
    throw new Error(`sam local start-api did not start:\n${samOutput}`)
  }
  await setTimeout(250)
}

t.test("the README's sam local start-api is this test's", async t => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8').replace(/ \\\n\s*/g, ' ')
  t.ok(readme.includes(`sam ${SAM_START_API.join(' ')}\n`), `sam ${SAM_START_API.join(' ')}`)
})

t.test('env.local.json is the local configuration, with the stand-ins named as the container sees them', async t => {
  const {
    AUTH0_JWKS_URI: jwks, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito, DPOP_REPLAY_TABLE: replayTable, ...rest
  } = samEnv
  for (const [name, value] of Object.entries(rest)) t.equal(value, env[name], name)
  // No DynamoDB stand-in reaches SAM's container: each invocation's process keeps its own replay memory (README),
  // rather than the template's table, which does not exist locally (every DPoP request would get a 503).
  t.equal(replayTable, '', 'DPOP_REPLAY_TABLE empty: the in-process replay memory')
  t.equal(jwks, `http://idp:${DEFAULT_PORTS.idp}/.well-known/jwks.json`)
  t.equal(cognito, `http://cognito:${DEFAULT_PORTS.cognito}`)
})

t.test('through sam local: the first request (a cold start) and warm ones', async t => {
  const timed = async () => {
    const started = performance.now()
    const res = await fetch(`${api}/health`, { signal: AbortSignal.timeout(60_000) })
    return { status: res.status, body: await res.json(), ms: Math.round(performance.now() - started) }
  }
  const cold = await timed()
  t.same(cold, { status: 200, body: { status: 'ok' }, ms: cold.ms })
  const warm = []
  for (let i = 0; i < 5; i++) warm.push((await timed()).ms)
  t.comment(`GET /health through sam local start-api: first ${cold.ms} ms (cold: the emulation image, the container, ` +
    `the module), then warm ${warm.join(', ')} ms`)
})

t.test('no token: 401 with the RFC 6750 challenge, through API Gateway emulation', async t => {
  const res = await fetch(`${api}/me`, { headers: { origin: env.FRONTEND_ORIGIN! } })
  t.equal(res.status, 401)
  t.match(res.headers.get('www-authenticate'), /^Bearer\b/)
  t.equal(res.headers.get('access-control-allow-origin'), env.FRONTEND_ORIGIN)
  t.match(await res.json(), { error: 'unauthorized' })
  // API Gateway drops hop-by-hop headers; sam local passes the function's on, next to its own `Connection: close`.
  // A `keep-alive` there makes Chrome reuse a connection SAM's server no longer reads: the SPA's /me call hangs.
  t.notMatch(res.headers.get('connection') ?? '', /keep-alive/, 'no connection: keep-alive from the function')
})

t.test('CORS preflight: the SPA origin is allowed, another is not', async t => {
  const preflight = (origin: string) => fetch(`${api}/me`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
  })
  const allowed = await preflight(env.FRONTEND_ORIGIN!)
  t.equal(allowed.status, 204)
  t.equal(allowed.headers.get('access-control-allow-origin'), env.FRONTEND_ORIGIN)
  t.match(allowed.headers.get('access-control-allow-headers'), /authorization/i)
  const other = await preflight('http://evil.localhost:3000')
  t.equal(other.headers.get('access-control-allow-origin'), null)
})

flowTests(t, { urls: { spa: env.FRONTEND_ORIGIN!, idp: env.AUTH0_DOMAIN! }, env })
