import { readFileSync } from 'node:fs'
import preact from '@preact/preset-vite'
import { defineConfig, loadEnv, type Plugin } from 'vite'
import { auth0Origin, readAwsIdentity } from './src/config.js'

const ROOT = new URL('..', import.meta.url).pathname

/**
 * Writes the Content-Security-Policy into the built index.html: exactly the origins this build
 * talks to (Auth0 for the login redirect, the silent-auth iframe and the token endpoint; the API; the identity pool
 * and the IAM-authorized API when configured).
 * nginx adds what a <meta> policy cannot carry (frame-ancestors). Build only: Vite's dev server needs inline scripts.
 */
function contentSecurityPolicy (env: Record<string, string>): Plugin {
  const origin = (url: string | undefined, toOrigin = (u: string) => new URL(u).origin) => {
    try { return url ? toOrigin(url) : '' } catch { return '' }
  }
  const auth0 = origin(env.VITE_AUTH0_DOMAIN, auth0Origin)
  const api = origin(env.VITE_BACKEND_BASE_URL)
  // The identity-pool path, when configured: Cognito Identity's endpoint and the IAM-authorized API.
  const aws = readAwsIdentity(key => env[key]?.trim() ?? '').settings
  const awsOrigins = aws ? [origin(aws.endpoint), origin(aws.apiBaseUrl)].filter(o => o && o !== api) : []
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    `connect-src 'self' ${auth0} ${api} ${[...new Set(awsOrigins)].join(' ')}`,
    `frame-src ${auth0 || "'none'"}`,
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'"
  ].map(directive => directive.replace(/\s+/g, ' ').trim()).join('; ')
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }
    ]
  }
}

/**
 * The image's security headers, read from web/nginx.conf's `add_header` lines: `vite preview` (what
 * `npm start` serves the SPA with) answers with exactly the same ones, so the native run behaves like the image.
 */
const nginxConf = readFileSync(new URL('./nginx.conf', import.meta.url), 'utf8')
export const SECURITY_HEADERS = Object.fromEntries(
  [...nginxConf.matchAll(/^\s*add_header ([\w-]+) "([^"]*)" always;/gm)].map(([, name, value]) => [name!, value!]))

export default defineConfig(({ mode }) => {
  // One .env at the repository root serves the API and the SPA; only VITE_* keys reach the bundle.
  const env = loadEnv(mode, ROOT, 'VITE_')
  return {
    envDir: ROOT,
    envPrefix: 'VITE_',
    plugins: [preact(), contentSecurityPolicy(env)],
    server: { port: Number(process.env.FRONTEND_PORT ?? 3000), strictPort: true },
    preview: { port: Number(process.env.FRONTEND_PORT ?? 3000), strictPort: true, headers: SECURITY_HEADERS }
  }
})
