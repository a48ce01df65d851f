import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'

const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))

async function freePort () {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as { port: number }
  probe.close()
  return port
}

/** Starts the HTTP server entry point as a process; resolves once it listens. */
async function start (t: Test, env: Record<string, string>) {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', server], {
    env: {
      PATH: process.env.PATH,
      AUTH0_DOMAIN: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9',
      AUTH0_AUDIENCE: 'https://api.acme.test',
      AWS_REGION: 'us-east-1',
      COGNITO_USER_POOL_ID: 'us-east-1_Abc123',
      BACKEND_PORT: String(port),
      // No coverage from the child: tsx compiles src/ differently from tap's loader, and tap merging the two
      // maps made the report wrong (dpop.ts at 58% in the full run, 95% alone).
      _TAPJS_PROCESSINFO_COVERAGE_: '0',
      ...env
    },
    stdio: ['ignore', 'pipe', 'ignore']
  })
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    await once(child, 'exit')
  })
  let output = ''
  for await (const chunk of child.stdout) {
    output += chunk
    if (output.includes('Server listening at')) return port
  }
  throw new Error(`the server did not start: ${output}`)
}

// Linux routes all of 127.0.0.0/8 to the loopback interface, but a socket bound to 127.0.0.1 answers
// on that address only: 127.0.0.2 stands for "any other interface" without needing a network.
const answersOn = (host: string, port: number) =>
  fetch(`http://${host}:${port}/health`).then(res => res.ok, () => false)

t.test('the API listens on loopback unless HOST says otherwise', async t => {
  const local = await start(t, {})
  t.ok(await answersOn('127.0.0.1', local), 'on loopback')
  t.notOk(await answersOn('127.0.0.2', local), 'not on another address')
  const all = await start(t, { HOST: '0.0.0.0' })
  t.ok(await answersOn('127.0.0.2', all), 'HOST=0.0.0.0: on every address')
})
