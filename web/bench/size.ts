/**
 * `npm run bench --workspace web`: the SPA's JavaScript, gzipped, against the auth0-spa-js SDK alone,
 * so what the app adds on top of the SDK (Preact, router, pages, CSS) is a number, not a guess.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

const WEB = new URL('..', import.meta.url).pathname
const work = mkdtempSync(join(tmpdir(), 'web-size-'))

function gzipped (dir: string, ext: string) {
  return readdirSync(dir).filter(name => name.endsWith(ext))
    .reduce((sum, name) => sum + gzipSync(readFileSync(join(dir, name)), { level: 9 }).length, 0)
}

Object.assign(process.env, {
  VITE_AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  VITE_AUTH0_CLIENT_ID: 'client',
  VITE_AUTH0_AUDIENCE: 'https://api.example.com',
  VITE_AUTH0_REDIRECT_URI: 'http://localhost:3000/callback',
  VITE_BACKEND_BASE_URL: 'http://localhost:8000'
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

const app = gzipped(join(work, 'app', 'assets'), '.js') + gzipped(join(work, 'app', 'assets'), '.css')
const sdk = gzipped(join(work, 'sdk'), '.js')
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
console.log('SPA bundle, gzip -9')
console.log(`  whole app (JS + CSS)      ${kb(app)}`)
console.log(`  auth0-spa-js alone        ${kb(sdk)}`)
console.log(`  on top of the SDK         ${kb(app - sdk)}   (budget 15 KB)`)
rmSync(work, { recursive: true, force: true })
