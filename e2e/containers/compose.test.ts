/**
 * `npm run test:containers`: the README's `docker compose up --build` for real, on the Docker engine
 * the environment points to (DOCKER_HOST or the default socket). It never installs or starts an engine.
 * Waits for every service to be healthy, checks the containers run as non-root, runs the same browser
 * flow as the native tests against the published 127.0.0.1 ports, then `down -v`.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { DEFAULT_PORTS, localEnv, ROOT } from '../../local/src/stack.js'
import { ARTIFACTS } from '../test/browser.js'
import { flowTests } from '../test/flow.js'

function run (command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', ...options })
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() }
}

if (!run('docker', ['info']).ok) {
  throw new Error(
    `No Docker engine answers (DOCKER_HOST=${process.env.DOCKER_HOST ?? 'unset'}): ` +
    'this test needs one and does not start it. CI starts its own: see .ci/containers.'
  )
}

// `docker compose` (v2 plugin) where it exists, else the standalone docker-compose (Debian's 1.29).
const [composeBin, ...composePre] = run('docker', ['compose', 'version']).ok
  ? ['docker', 'compose']
  : ['docker-compose']
// Which one ran is in the output: the README promises both the plugin and Debian's docker-compose 1.29.
t.comment(run(composeBin!, [...composePre, 'version']).out.split('\n')[0] ?? '')
// A developer's .env would switch the stack to real services: read an empty one instead, as on a fresh clone.
const emptyEnvDir = mkdtempSync(join(tmpdir(), 'compose-env-'))
writeFileSync(join(emptyEnvDir, '.env'), '')
const envFile = existsSync(join(ROOT, '.env')) ? ['--env-file', join(emptyEnvDir, '.env')] : []
// The compose run builds the SPA with DPoP on (the native and SAM runs keep Bearer): tokens bound to the browser's key.
const composeEnv = { ...process.env, VITE_AUTH0_USE_DPOP: 'true' }
const compose = (...args: string[]) =>
  run(composeBin!, [...composePre, ...envFile, ...args], { timeout: 15 * 60_000, env: composeEnv })

t.teardown(() => {
  if (!t.passing()) {
    mkdirSync(ARTIFACTS, { recursive: true })
    writeFileSync(join(ARTIFACTS, 'compose.log'), compose('logs', '--no-color').out)
  }
  const stopping = Date.now()
  const down = compose('down', '-v', '--remove-orphans')
  if (!down.ok) console.error(down.out)
  console.log(`# docker compose down -v: ${seconds(stopping)}`)
  rmSync(emptyEnvDir, { recursive: true, force: true })
})

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`
const started = Date.now()
const up = compose('up', '--build', '-d')
if (!up.ok) throw new Error(`docker compose up --build failed:\n${up.out}`)
t.comment(`docker compose up --build -d: ${seconds(started)}`)
const containers = compose('ps', '-q').out.split('\n').filter(Boolean)

t.test('every service becomes healthy through its own health check', async t => {
  const deadline = Date.now() + 180_000
  const format = '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}'
  let states: string[] = []
  while (Date.now() < deadline) {
    states = containers.map(id => run('docker', ['inspect', '-f', format, id]).out)
    if (states.every(state => state.endsWith(' running healthy'))) break
    await new Promise(resolve => setTimeout(resolve, 2_000))
  }
  t.comment(`all healthy after ${seconds(started)} from the start of the build`)
  // One container per service docker-compose.yml defines (api, web and the stand-ins), each healthy.
  const services = Object.keys(parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).services)
  t.equal(containers.length, services.length, services.join(', '))
  for (const state of states) t.match(state, / running healthy$/, state)
})

t.test('no container runs as root', async t => {
  for (const id of containers) {
    const name = run('docker', ['inspect', '-f', '{{.Name}}', id]).out
    const uid = run('docker', ['exec', id, 'id', '-u']).out
    t.not(uid, '0', `${name} runs as uid ${uid}`)
  }
})

flowTests(t, {
  urls: {
    spa: `http://localhost:${DEFAULT_PORTS.spa}`,
    idp: `http://localhost:${DEFAULT_PORTS.idp}`
  },
  env: localEnv(DEFAULT_PORTS),
  dpop: true
})
