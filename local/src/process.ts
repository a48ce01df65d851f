import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/** Resolves once `url` answers HTTP at all (any status); rejects if `child` exits first or after `timeoutMs`. */
export async function waitForHttp (url: string, child?: ChildProcess, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode} before answering`)
    if (await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false)) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. A negative `pid` signals its process group. */
export async function stopChild (child: ChildProcess, graceMs = 5_000, pid = child.pid) {
  if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return
  const exited = new Promise(resolve => child.once('exit', resolve))
  const signal = (name: NodeJS.Signals) => { try { process.kill(pid, name) } catch {} }
  signal('SIGTERM')
  const timer = setTimeout(() => signal('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}
