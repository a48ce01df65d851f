/**
 * What the session tests need beyond browser.ts and stack.ts: a stack whose SPA may sit on another site than the
 * identity provider, with the provider's token lifetimes of the test's choosing, and a Chromium profile that blocks
 * (or allows) third-party cookies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import type { Test } from 'tap'
import { startIdp } from '../../local/src/idp.js'
import { freePort } from '../../local/src/process.js'
import { build, localEnv, startStack } from '../../local/src/stack.js'

/**
 * The SPA on http://`spaHost`:<port>, the identity provider on http://localhost:<port> as localEnv names it:
 * `127.0.0.1` puts them on different sites, `localhost` on the same one. `vite`: extra build settings.
 */
export async function sessionStack (t: Test, { spaHost, vite = {}, accessTokenTtl }: {
  spaHost: '127.0.0.1' | 'localhost'
  vite?: Record<string, string>
  accessTokenTtl?: number
}) {
  const ports = { idp: 0, api: 0, spa: 0, cognito: 0, dynamodb: 0 }
  for (const name of Object.keys(ports) as Array<keyof typeof ports>) ports[name] = await freePort()
  const spa = `http://${spaHost}:${ports.spa}`
  // No DynamoDB stand-in either: the API keeps its DPoP replay memory in process.
  const env: Record<string, string> = {
    ...localEnv(ports), DPOP_REPLAY_TABLE: '', FRONTEND_ORIGIN: spa, VITE_AUTH0_REDIRECT_URI: `${spa}/callback`, ...vite
  }
  const webDist = mkdtempSync(join(tmpdir(), 'web-dist-sessions-'))
  t.teardown(() => rmSync(webDist, { recursive: true, force: true }))
  await build(env, webDist)
  const idp = await startIdp({
    port: ports.idp,
    origin: env.AUTH0_DOMAIN!,
    clientId: env.AUTH0_CLIENT_ID!,
    appOrigin: spa,
    audience: env.AUTH0_AUDIENCE!,
    emailClaim: env.AUTH0_EMAIL_CLAIM!,
    accessTokenTtl
  })
  t.teardown(idp.close)
  // No Cognito: these tests never call /me.
  const stack = await startStack({ ports, webDist, env, standIns: false })
  t.teardown(stack.stop)
  return stack.urls
}

/**
 * A fresh Chromium profile that blocks third-party cookies or allows them. Chromium 156 keeps the choice in the
 * profile (`profile.cookie_controls_mode`: 1 blocks, 0 allows; its launch flags for this changed nothing, measured),
 * and headless blocks by default, as Safari, Brave and Firefox's strict mode do.
 */
export async function openBrowser (t: Test, { thirdPartyCookies }: { thirdPartyCookies: 'block' | 'allow' }) {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-sessions-'))
  mkdirSync(join(profile, 'Default'))
  const mode = thirdPartyCookies === 'block' ? 1 : 0
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: mode } }))
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
  })
  context.setDefaultTimeout(15_000)
  t.teardown(async () => { await context.close(); rmSync(profile, { recursive: true, force: true }) })
  const page = context.pages()[0] ?? await context.newPage()
  return { context, page }
}
