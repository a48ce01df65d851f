/**
 * The real flow in a real browser: Debian's Chromium, the built SPA behind web/nginx.conf, the
 * built API, the local Auth0 and Cognito stand-ins, all on loopback.
 */
import { Writable } from 'node:stream'
import t from 'tap'
import { ROOT } from '../../local/src/stack.js'
import { flowTests } from './flow.js'
import { nativeStack } from './native.js'

// What the API prints, kept here rather than in the TAP stream; its errors still reach ours.
const apiLines: string[] = []
const arrived: Array<() => void> = []
const stdout = new Writable({
  write (chunk: Buffer, _encoding, done) {
    apiLines.push(...chunk.toString().split('\n').filter(Boolean))
    for (const wake of arrived.splice(0)) wake()
    done()
  }
})
const stack = await nativeStack(t, { output: { stdout, stderr: process.stderr } })

// The README's screenshot is a tracked file: rewritten only by `npm run docs:screenshot`, never by `npm test`.
const screenshot = process.argv.includes('--update-screenshot') ? `${ROOT}docs/home-after-me.png` : undefined
flowTests(t, { urls: stack.urls, env: stack.env, screenshot })

/** The access log line of the request to `url`, once the API has printed it (the test's timeout bounds the wait). */
async function accessLine (url: string) {
  for (;;) {
    const line = apiLines.map(line => JSON.parse(line)).find(entry => entry.req?.url === url && entry.res)
    if (line) return line
    await new Promise<void>(resolve => arrived.push(resolve))
  }
}

t.test('the API logs each request with the stand-ins too, refusals included', { timeout: 15_000 }, async t => {
  const requests = [['/health?logged', 200], ['/no-such-route?logged', 404], ['/me?logged', 401]] as const
  for (const [path, status] of requests) {
    t.equal((await fetch(`${stack.urls.api}${path}`)).status, status, path)
    const line = await accessLine(path)
    t.match(line, { level: 30, msg: 'request completed', req: { method: 'GET' }, res: { statusCode: status } }, path)
  }
  const logged = apiLines.filter(line => /"url":"[^"]*\?logged".*"msg":"request completed"/.test(line))
  t.equal(logged.length, requests.length, 'one access line per request')
})
