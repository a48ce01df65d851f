/**
 * `npm start` run as a user runs it: a bad .env, a busy port, SIGTERM, a process that dies.
 * Built once here, then started with --no-build (see npm-start.ts for the made-up real .env).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { portProblem, waitForHttp } from '../src/process.js'
import { build, ROOT } from '../src/stack.js'
import { descendant, type Env, npmStart, realEnv } from './npm-start.js'

const dir = mkdtempSync(join(tmpdir(), 'npm-start-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const webDist = join(dir, 'web')
await build(await realEnv(), webDist)

const start = (t: Test, env: Env, args = ['--web-dist', webDist, '--no-build']) => npmStart(t, dir, env, args)
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
/** The API's build folders (api/.dist-*, see stack.ts), there while a build runs. */
const apiBuilds = () => readdirSync(`${ROOT}api`).filter(name => name.startsWith('.dist-'))
const alive = (pid: number) => { try { return process.kill(pid, 0) } catch { return false } }

async function portsFree (t: Test, env: Env) {
  for (const name of ['BACKEND_PORT', 'FRONTEND_PORT']) {
    t.equal(await portProblem(Number(env[name])), null, `${name} is free again`)
  }
}

t.test('a .env with placeholders and empty values: one message naming each, nothing built', async t => {
  const notBuilt = join(dir, 'not-built')
  const { envFile, ended } = start(t, {
    ...await realEnv(),
    AUTH0_DOMAIN: 'your-tenant.eu.auth0.com',
    AUTH0_AUDIENCE: 'https://api.example.com',
    COGNITO_USER_POOL_ID: '',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: '',
    VITE_AUTH0_CLIENT_ID: '',
    VITE_AUTH0_AUDIENCE: 'https://api.example.com',
    VITE_BACKEND_BASE_URL: undefined
  }, ['--web-dist', notBuilt])
  const { code, stdout, stderr } = await ended
  t.equal(code, 1)
  t.equal(stderr, `Configuration error in ${envFile}:\n` + [
    'COGNITO_USER_POOL_ID is empty',
    'AUTH0_DOMAIN is still the .env.example placeholder (your-tenant.eu.auth0.com)',
    'AUTH0_AUDIENCE is still the .env.example placeholder (https://api.example.com)',
    'VITE_AUTH0_CLIENT_ID is empty',
    'VITE_AUTH0_AUDIENCE is still the .env.example placeholder (https://api.example.com)',
    'VITE_BACKEND_BASE_URL is not set'
  ].map(problem => `  ${problem}\n`).join('') +
    'Fill them in (see .env.example and the README\'s "Real Auth0 and Cognito"), ' +
    `or delete ${envFile} to run the local stand-ins.\n`, 'one message: no npm error, no stack trace')
  t.notMatch(stdout, 'Building')
  t.notOk(existsSync(notBuilt), 'nothing was built')
})

t.test('a .env with only VITE_ values, or none: says any .env switches the stand-ins off, and what to do', async t => {
  const cases: Array<[Env, string]> = [
    [{ VITE_AUTH0_USE_DPOP: 'true' }, 'sets only VITE_AUTH0_USE_DPOP, and any .env file switches the local ' +
      'stand-ins off: it must then configure real Auth0 and AWS (see .env.example). To keep the stand-ins, start ' +
      'without a .env, and pass the VITE_ settings in the shell: VITE_AUTH0_USE_DPOP=true npm start'],
    [{}, 'is empty, and any .env file switches the local stand-ins off: it must then configure real Auth0 and AWS ' +
      '(see .env.example). To keep the stand-ins, start without a .env: npm start']
  ]
  for (const [env, message] of cases) {
    const { envFile, ended } = start(t, env, ['--web-dist', join(dir, 'not-built')])
    const { code, stdout, stderr } = await ended
    t.equal(code, 1)
    t.equal(stderr, `Configuration error in ${envFile}: it ${message}\n`, 'not the nine "is not set" of a real .env')
    t.notMatch(stdout, 'Building')
  }
})

t.test('busy ports, on loopback or all interfaces: one line each, nothing started', async t => {
  const env = await realEnv()
  for (const [port, host] of [[env.BACKEND_PORT, '127.0.0.1'], [env.FRONTEND_PORT, '0.0.0.0']]) {
    const holder = createServer()
    await new Promise<void>(resolve => holder.listen(Number(port), host, resolve))
    t.teardown(() => { holder.close() })
  }
  const { code, stdout, stderr } = await start(t, env).ended
  t.equal(code, 1)
  const cause = 'is another `npm start` (or docker compose up) running?'
  t.equal(stderr, `Port ${env.BACKEND_PORT} (API) is already in use: ${cause}\n` +
    `Port ${env.FRONTEND_PORT} (SPA) is already in use: ${cause}\n`)
  t.notMatch(stdout, 'Using')
})

t.test('SIGTERM stops everything, as Ctrl-C does, and exits 0', async t => {
  const env = await realEnv()
  const run = start(t, env)
  await run.ready
  t.equal((await fetch(`${env.BACKEND_BASE_URL}/health`)).status, 200)
  const api = descendant(run.child, 'dist/server.js')
  run.child.kill('SIGTERM') // npm's own pid, as a process manager would
  const { code, stdout, stderr } = await run.ended
  t.equal(code, 0)
  t.match(stdout, 'Stopping…')
  t.notMatch(stderr, 'exited')
  t.notOk(alive(api), 'the API is gone')
  await portsFree(t, env)
})

t.test('SIGTERM during start-up stops what has started', async t => {
  const env = await realEnv()
  const run = start(t, env)
  // The API answers before the SPA server has started.
  await waitForHttp(`${env.BACKEND_BASE_URL}/health`)
  run.child.kill('SIGTERM')
  const { code } = await run.ended
  t.equal(code, 0)
  await portsFree(t, env)
})

t.test('SIGTERM during the build stops the build too: nothing half-built, nothing left writing', async t => {
  const env = await realEnv()
  const webOut = join(dir, 'interrupted')
  const before = apiBuilds()
  const run = start(t, env, ['--web-dist', webOut])
  while (apiBuilds().length === before.length && run.child.exitCode === null) await sleep(20)
  run.child.kill('SIGTERM')
  const { code, stdout } = await run.ended
  t.equal(code, 0)
  t.match(stdout, 'Stopping…')
  t.notMatch(stdout, 'Press Ctrl-C')
  t.notOk(existsSync(webOut), 'the SPA was never built')
  // npm alone would stop and leave the compiler it started running; it would write its output there later.
  await sleep(3_000)
  t.same(apiBuilds(), before, 'the API\'s build folder is gone, and no compiler wrote it again')
  await portsFree(t, env)
})

t.test('a process that dies: named with its last lines, the others stopped, exit 1', async t => {
  const env = await realEnv()
  const run = start(t, env)
  await run.ready
  process.kill(descendant(run.child, 'dist/server.js'), 'SIGKILL')
  const { code, stderr } = await run.ended
  t.equal(code, 1)
  t.match(stderr, /^The API \(node api\/dist\/server.js\) was killed by SIGKILL\. Its last lines:$/m)
  t.match(stderr, /Its last lines:\n[\s\S]*Server listening/, 'its output, kept while it ran')
  t.match(stderr, 'Stopping the others…')
  await portsFree(t, env)
})

t.test('the API failing at boot: its last lines in one report, no stack trace', async t => {
  // The settings pass the runner's check (it applies the API's own rules), but 192.0.2.1 (TEST-NET-1) is not
  // an address of this machine: the API cannot listen and exits.
  const env = { ...await realEnv(), HOST: '192.0.2.1' }
  const { code, stdout, stderr } = await start(t, env).ended
  t.equal(code, 1)
  t.match(stderr, /^The API \(node api\/dist\/server.js\) exited with code 1\. Its last lines:$/m)
  t.match(stderr, /Its last lines:\n {2}\{.*EADDRNOTAVAIL.*"msg":"cannot start"\}\n/)
  t.notMatch(stderr, /^\s+at |npm error/m)
  t.notMatch(stdout, 'Press Ctrl-C')
  await portsFree(t, env)
})
