/**
 * The whole product on loopback for a browser suite: free ports, the SPA built for them (its URLs are baked in at
 * build time, so a suite on its own ports needs its own build), the API from api/dist (built only when stale:
 * after `npm run build`, or an earlier suite, it is not), the SPA served through web/nginx.conf.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { freePort, type Output } from '../../local/src/process.js'
import { buildSpa, ensureApi, localEnv, startStack } from '../../local/src/stack.js'

export async function nativeStack (t: Test, { extraEnv = {}, output }: {
  /** Added to the stand-ins' environment, for the build and the API alike. */
  extraEnv?: Record<string, string>
  output?: Output
} = {}) {
  const ports = { idp: 0, api: 0, spa: 0, cognito: 0, dynamodb: 0, identityPool: 0, iamGateway: 0 }
  for (const name of Object.keys(ports) as Array<keyof typeof ports>) ports[name] = await freePort()
  const env = { ...localEnv(ports), ...extraEnv }
  const webDist = mkdtempSync(join(tmpdir(), 'web-dist-'))
  t.teardown(() => rmSync(webDist, { recursive: true, force: true }))
  await Promise.all([ensureApi(), buildSpa(env, webDist)])
  const stack = await startStack({ ports, webDist, serveWith: 'nginx', env, output })
  t.teardown(stack.stop)
  return stack
}
