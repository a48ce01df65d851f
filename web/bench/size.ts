/**
 * `npm run bench --workspace web`: the SPA's JavaScript, gzipped, against the auth0-spa-js SDK alone,
 * so what the app adds on top of the SDK (Preact, router, pages, CSS) is a number, not a guess. The AWS part
 * (identity pool and SigV4 signer) is a chunk of its own, loaded on first use: measured apart, against its budget.
 * Over a budget: the numbers are flagged and the command exits 1.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

const WEB = new URL('..', import.meta.url).pathname
const work = mkdtempSync(join(tmpdir(), 'web-size-'))

function gzipped (dir: string, ext: string, only = (_name: string) => true) {
  return readdirSync(dir).filter(name => name.endsWith(ext) && only(name))
    .reduce((sum, name) => sum + gzipSync(readFileSync(join(dir, name)), { level: 9 }).length, 0)
}

Object.assign(process.env, {
  VITE_AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  VITE_AUTH0_CLIENT_ID: 'client',
  VITE_AUTH0_AUDIENCE: 'https://api.example.com',
  VITE_AUTH0_REDIRECT_URI: 'http://localhost:3000/callback',
  VITE_BACKEND_BASE_URL: 'http://localhost:8000',
  VITE_COGNITO_IDENTITY_POOL_ID: 'eu-west-1:0b6f2c9e-4a57-4c1e-9d3a-5e8f7a6b1c2d'
})
await build({
  root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'silent', build: { outDir: join(work, 'app') }
})

// The SDK alone: what any app that calls createAuth0Client pays.
await build({
  root: WEB,
  configFile: false,
  logLevel: 'silent',
  build: {
    outDir: join(work, 'sdk'),
    minify: true,
    lib: { entry: join(WEB, 'bench', 'sdk-only.ts'), formats: ['es'], fileName: 'sdk' }
  }
})

const assets = join(work, 'app', 'assets')
// Vite names a lazy chunk after its entry module: src/aws/access.ts.
const isAws = (name: string) => name.startsWith('access-')
const app = gzipped(assets, '.js', name => !isAws(name)) + gzipped(assets, '.css')
const aws = gzipped(assets, '.js', isAws)
const sdk = gzipped(join(work, 'sdk'), '.js')
const KB = 1024
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`
const check = (bytes: number, budget: number) => {
  if (bytes <= budget * KB) return `(budget ${budget} KB)`
  process.exitCode = 1
  return `OVER BUDGET (${budget} KB)`
}
console.log('SPA bundle, gzip -9')
console.log(`  whole app (JS + CSS)      ${kb(app)}   (without the lazy AWS chunk)`)
console.log(`  auth0-spa-js alone        ${kb(sdk)}`)
console.log(`  on top of the SDK         ${kb(app - sdk)}   ${check(app - sdk, 15)}`)
console.log(`  AWS chunk (lazy)          ${kb(aws)}   ${check(aws, 10)}`)
if (aws === 0) {
  console.log('  no AWS chunk found: src/aws/access.ts is no longer loaded lazily')
  process.exitCode = 1
}
rmSync(work, { recursive: true, force: true })
