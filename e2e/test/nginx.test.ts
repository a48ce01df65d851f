import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { startNginx } from '../../local/src/nginx.js'

const dist = mkdtempSync(join(tmpdir(), 'dist-'))
mkdirSync(join(dist, 'assets'))
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>')
writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
const nginx = await startNginx(dist)
t.teardown(async () => { await nginx.close(); rmSync(dist, { recursive: true, force: true }) })

t.test('deep links fall back to index.html, never cached', async t => {
  for (const path of ['/', '/home', '/callback?code=a&state=b', '/index.html']) {
    const res = await fetch(`${nginx.url}${path}`)
    t.equal(res.status, 200, path)
    t.equal(await res.text(), '<!doctype html><title>app</title>', path)
    t.equal(res.headers.get('cache-control'), 'no-cache', path)
  }
})

t.test('hashed assets are cached for a year; a missing one is a 404, not the app', async t => {
  const res = await fetch(`${nginx.url}/assets/index-abc123.js`)
  t.equal(res.status, 200)
  t.equal(res.headers.get('cache-control'), 'max-age=31536000')
  t.match(res.headers.get('content-type'), /javascript/)
  t.equal((await fetch(`${nginx.url}/assets/index-gone.js`)).status, 404)
})

t.test('security headers on every answer, with no server version', async t => {
  const csp = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
  for (const path of ['/home', '/assets/index-abc123.js', '/assets/index-gone.js']) {
    const res = await fetch(`${nginx.url}${path}`)
    t.equal(res.headers.get('content-security-policy'), csp, path)
    t.equal(res.headers.get('x-frame-options'), 'DENY', path)
    t.equal(res.headers.get('x-content-type-options'), 'nosniff', path)
    t.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', path)
    t.equal(res.headers.get('server'), 'nginx', path)
  }
})
