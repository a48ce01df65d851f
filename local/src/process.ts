import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import type { Readable, Writable } from 'node:stream'

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null

/** Resolves once `url` answers HTTP at all (any status); rejects if `child` exits first or after `timeoutMs`. */
export async function waitForHttp (url: string, child?: ChildProcess, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child && hasExited(child)) {
      throw new Error(`${url}: the process exited with ${child.exitCode ?? child.signalCode} before answering`)
    }
    if (await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false)) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone.
 * A negative `pid` signals its process group.
 */
export async function stopChild (child: ChildProcess, graceMs = 5_000, pid = child.pid) {
  if (hasExited(child) || pid === undefined) return
  // 'close', not 'exit': it also waits for whoever shares the child's pipes, such as the vite that npx
  // starts, so that the port is free once this resolves.
  const closed = new Promise(resolve => child.once('close', resolve))
  const signal = (name: NodeJS.Signals) => { try { process.kill(pid, name) } catch {} }
  signal('SIGTERM')
  const timer = setTimeout(() => signal('SIGKILL'), graceMs)
  await closed
  clearTimeout(timer)
}

/** Where a child's output goes: `process` itself, or any pair of streams. */
export interface Output { stdout: Writable, stderr: Writable }

interface Watched {
  child: ChildProcess
  /** Resolves when the process has exited, with a report naming it and showing its last output lines. */
  exited: Promise<string>
}

/**
 * Passes a child's piped output through to `output` (ours by default) and keeps its last `keep` lines, so that
 * when it dies the runner can say which one it was and what it said last. `name` is e.g.
 * "The API (node api/dist/server.js)".
 */
export function watch (name: string, child: ChildProcess, output: Output = process, keep = 20): Watched {
  const lines: string[] = []
  const partial = new Map<Readable, string>()
  const streams: Array<[Readable | null, Writable]> = [[child.stdout, output.stdout], [child.stderr, output.stderr]]
  for (const [stream, out] of streams) {
    stream?.on('data', (chunk: Buffer) => {
      out.write(chunk)
      const parts = ((partial.get(stream) ?? '') + chunk.toString()).split('\n')
      partial.set(stream, parts.pop()!)
      lines.push(...parts)
      lines.splice(0, lines.length - keep)
    })
  }
  const report = (code: number | null, signal: NodeJS.Signals | null) => {
    const last = [...lines, ...[...partial.values()].filter(Boolean)].slice(-keep)
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
    if (!last.length) return `${name} ${how}. It printed nothing.`
    return `${name} ${how}. Its last lines:\n${last.map(line => line && `  ${line}`).join('\n')}`
  }
  const exited = new Promise<string>(resolve => {
    child.once('exit', (code, signal) => {
      // Let its last output arrive, but not for long: a grandchild may still hold the pipes open.
      const done = () => { clearTimeout(timer); resolve(report(code, signal)) }
      const timer = setTimeout(done, 500)
      child.once('close', done)
    })
  })
  return { child, exited }
}

/** Waits until `url` answers; if the watched process dies first, fails with its report instead. */
export async function waitForReady (url: string, { child, exited }: Watched) {
  try {
    await waitForHttp(url, child)
  } catch (err) {
    if (hasExited(child)) throw new Error(await exited)
    throw err
  }
}

/** Why `port` cannot be used on localhost (`EADDRINUSE`: something listens there), or null when it is free. */
export async function portProblem (port: number): Promise<string | null> {
  // Both addresses localhost may resolve to: a browser would reach whatever answers on either. A wildcard
  // listener (0.0.0.0, ::) collides too; one on another interface (a Docker bridge) does not.
  for (const host of ['127.0.0.1', '::1']) {
    const problem = await new Promise<string | null>(resolve => {
      const server = createServer()
      server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
      server.listen(port, host, () => server.close(() => resolve(null)))
    })
    // EADDRNOTAVAIL: this machine has no IPv6 loopback, so nothing can listen there.
    if (problem && problem !== 'EADDRNOTAVAIL') return problem
  }
  return null
}

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}
