/**
 * `npm start` as a process, for run.test.ts: real mode (no stand-ins) with a made-up .env on free
 * ports. The API checks its settings at boot and reaches Auth0 and Cognito only on /me, so it starts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { freePort } from '../src/process.js'
import { ROOT } from '../src/stack.js'

export type Env = Record<string, string | undefined>

export async function realEnv (): Promise<Record<string, string>> {
  const [idp, cognito, api, spa] = [await freePort(), await freePort(), await freePort(), await freePort()]
  return {
    AUTH0_DOMAIN: `http://localhost:${idp}`,
    AUTH0_AUDIENCE: 'https://api.local.test',
    AUTH0_EMAIL_CLAIM: 'https://api.local.test/email',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    COGNITO_USER_POOL_ID: 'us-east-1_Abc123',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${cognito}`,
    BACKEND_PORT: String(api),
    FRONTEND_PORT: String(spa),
    BACKEND_BASE_URL: `http://localhost:${api}`,
    FRONTEND_ORIGIN: `http://localhost:${spa}`,
    // info: the API logs that it listens, so a report of its death has last lines to show.
    LOG_LEVEL: 'info',
    VITE_AUTH0_DOMAIN: `http://localhost:${idp}`,
    VITE_AUTH0_CLIENT_ID: 'test-spa-client',
    VITE_AUTH0_AUDIENCE: 'https://api.local.test',
    VITE_AUTH0_REDIRECT_URI: `http://localhost:${spa}/callback`,
    VITE_BACKEND_BASE_URL: `http://localhost:${api}`
  }
}

// npm as a user starts it: without the npm_config_* of the npm running the tests, and without the
// machine's npmrc, whose warnings (or an update notice) would be npm's output, not the runner's.
const npmEnv = (dir: string) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name))),
  npm_config_userconfig: join(dir, 'no-npmrc'),
  npm_config_update_notifier: 'false'
})

let runs = 0

/**
 * `npm start -- --dotenv <env, written into dir> ...args` from the repository root, its output
 * collected. `ready` once it says "Press Ctrl-C"; SIGTERM at teardown if still running.
 */
export function npmStart (t: Test, dir: string, env: Env, args: string[]) {
  const envFile = join(dir, `${++runs}.env`)
  const lines = Object.entries(env).flatMap(([name, value]) => value === undefined ? [] : [`${name}=${value}`])
  writeFileSync(envFile, `${lines.join('\n')}\n`)
  const child = spawn('npm', ['start', '--', '--dotenv', envFile, ...args], { cwd: ROOT, env: npmEnv(dir) })
  const output = { stdout: '', stderr: '' }
  child.stdout.on('data', chunk => { output.stdout += chunk })
  child.stderr.on('data', chunk => { output.stderr += chunk })
  const ended = new Promise<{ code: number | null, stdout: string, stderr: string }>(resolve => {
    child.once('close', code => resolve({ code, ...output }))
  })
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => { if (output.stdout.includes('Press Ctrl-C')) resolve() })
    ended.then(() => reject(new Error(`npm start ended before it was ready:\n${output.stderr}`)))
  })
  ready.catch(() => {})
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await ended
  })
  return { child, envFile, ready, ended }
}

/** The pid of the process under `root` whose command line contains `text` (from ps). */
export function descendant (root: ChildProcess, text: string): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).trim().split('\n')
    .map(line => line.trim().split(/\s+/))
    .map(([pid, ppid, ...args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args.join(' ') }))
  const tree = new Set([root.pid])
  for (let size = 0; size !== tree.size;) {
    size = tree.size
    for (const row of rows) if (tree.has(row.ppid)) tree.add(row.pid)
  }
  const found = rows.find(row => tree.has(row.pid) && row.args.includes(text))
  if (!found) throw new Error(`no process "${text}" under ${root.pid}`)
  return found.pid
}
