/**
 * The builds the local stack serves: the API into api/dist (what `npm run build` makes there too) and the SPA into
 * a folder of the caller's, from the VITE_ values it is given. The SPA learns its URLs only from those values, baked
 * in at build time, so each set of ports needs a build of its own; the API's output depends on its sources only.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const API = `${ROOT}api/`
/** Everything the API's build (`tsc -p tsconfig.build.json`) reads from the repository. */
const API_INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map(name => API + name)

/**
 * Runs a build step in a process group of its own; `abort` sends SIGTERM to the whole group: npm alone
 * would stop, and leave the compiler it started writing on.
 */
function run (command: string, args: string[], env: Record<string, string | undefined>, abort?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'], detached: true
    })
    const stop = () => { try { process.kill(-child.pid!, 'SIGTERM') } catch {} }
    if (abort?.aborted) stop()
    abort?.addEventListener('abort', stop)
    child.once('error', reject)
    child.once('close', (status, signal) => {
      abort?.removeEventListener('abort', stop)
      if (status === 0) resolve()
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${status}`})`))
    })
  })
}

/** Builds the API (api/dist) and the SPA into `webOutDir` from the VITE_ values in `env`; `abort` stops it. */
export async function build (env: Record<string, string>, webOutDir = 'dist', abort?: AbortSignal) {
  await buildApi(abort)
  await buildSpa(env, webOutDir, abort)
}

/** The SPA alone, into `outDir` (relative to web/, or absolute), from the VITE_ values in `env`. */
export async function buildSpa (env: Record<string, string>, outDir: string, abort?: AbortSignal) {
  const vite = ['--workspace', 'web', 'vite', 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir']
  await run('npx', vite, env, abort)
}

/**
 * The API's own build script, into a fresh folder whose files are then renamed into api/dist, each in one step:
 * browser tests run in parallel and each may build, so another's API may be starting from api/dist right then; it
 * must never read a half-written file. The folder sits next to api/dist, so the source maps' paths stay right.
 */
export async function buildApi (abort?: AbortSignal) {
  const dist = `${API}dist`
  const fresh = mkdtempSync(`${API}.dist-`)
  try {
    await run('npm', ['run', 'build', '--workspace', 'api', '--', '--outDir', fresh], {}, abort)
    for (const entry of readdirSync(fresh, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const from = join(entry.parentPath, entry.name)
      const to = join(dist, relative(fresh, from))
      mkdirSync(dirname(to), { recursive: true })
      renameSync(from, to)
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true })
  }
}

/** Builds the API unless api/dist is current: the output of CI's `npm run build` (or of an earlier test) serves. */
export async function ensureApi (abort?: AbortSignal) {
  if (!apiIsCurrent()) await buildApi(abort)
}

/**
 * api/dist is current when each source file's output there was written after the last change to anything the build
 * reads: make's rule. A folder's own time counts too, as it moves when a file in it is added, renamed or removed.
 * Outputs of sources that are gone are left out: tsc never deletes them, and they would make every check stale.
 */
export function apiIsCurrent (): boolean {
  const sources = readdirSync(`${API}src`, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map(entry => relative(`${API}src`, join(entry.parentPath, entry.name)))
  const changed = latestChange(API_INPUTS)
  return sources.every(source => {
    const output = statSync(`${API}dist/${source.replace(/\.ts$/, '.js')}`, { throwIfNoEntry: false })
    return output !== undefined && output.mtimeMs > changed
  })
}

/** The latest modification time among `paths`, folders searched through. */
function latestChange (paths: string[]): number {
  let latest = 0
  for (const path of paths) {
    const stat = statSync(path)
    latest = Math.max(latest, stat.mtimeMs)
    if (stat.isDirectory()) latest = Math.max(latest, latestChange(readdirSync(path).map(name => join(path, name))))
  }
  return latest
}
