/**
 * The real flow in a real browser: Debian's Chromium, the built SPA behind web/nginx.conf, the
 * built API, the local Auth0 and Cognito stand-ins, all on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { freePort } from '../../local/src/process.js'
import { build, localEnv, ROOT, startStack } from '../../local/src/stack.js'
import { flowTests } from './flow.js'

const ports = { idp: await freePort(), api: await freePort(), spa: await freePort(), cognito: await freePort() }
const env = localEnv(ports)
const webDist = mkdtempSync(join(tmpdir(), 'web-dist-'))
await build(env, webDist)
const stack = await startStack({ ports, webDist, serveWith: 'nginx', env })
t.teardown(async () => { await stack.stop(); rmSync(webDist, { recursive: true, force: true }) })

// The README's screenshot is a tracked file: rewritten only by `npm run docs:screenshot`, never by `npm test`.
const screenshot = process.argv.includes('--update-screenshot') ? `${ROOT}docs/home-after-me.png` : undefined
flowTests(t, { urls: stack.urls, env, screenshot })
