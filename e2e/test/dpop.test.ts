/**
 * DPoP in a real browser: the SPA built with VITE_AUTH0_USE_DPOP=true, the local stand-ins and the API
 * (DPOP_MODE's default, `allowed`). The browser's tokens are bound to its key; the same token without that
 * key, sent from outside the browser, gets nowhere.
 */
import { createHash } from 'node:crypto'
import type { Page, Request } from 'playwright-core'
import t, { type Test } from 'tap'
import { USERS } from '../../local/src/users.js'
import { openPage } from './browser.js'
import { decodeJwt as decode, signInAt } from './flow.js'
import { nativeStack } from './native.js'

// warn: the access log is flow.test.ts' subject; here it would only fill the TAP stream.
const stack = await nativeStack(t, { extraEnv: { VITE_AUTH0_USE_DPOP: 'true', LOG_LEVEL: 'warn' } })
const { spa, idp, api } = stack.urls
const alice = USERS[0]!

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')
/** RFC 7638 thumbprint of an EC public key (auth0-spa-js signs with ES256 only). */
const thumbprint = ({ crv, kty, x, y }: Record<string, string>) => sha256(JSON.stringify({ crv, kty, x, y }))

/** Clicks "Call Protected Backend /me" and returns what the page shows and the request the browser sent. */
async function callMe (page: Page, sent: Request[]) {
  const before = sent.length
  await page.click('text=Call Protected Backend /me')
  const shown = JSON.parse(await page.textContent('[data-testid=me-result]') ?? 'null')
  const request = sent.slice(before).find(r => r.url() === `${api}/me` && r.method() === 'GET')
  return { shown, headers: await request!.allHeaders() }
}

t.test('a DPoP-bound token: /me works from the browser, the token alone does not', async (t: Test) => {
  const { page } = await openPage(t)
  const sent: Request[] = []
  page.on('request', request => { if (request.url().startsWith(`${api}/`)) sent.push(request) })
  const tokenResponse = page.waitForResponse(`${idp}/oauth/token`)
  await page.goto(`${spa}/`)
  await page.click('text=Login with Auth0')
  await signInAt(idp, page, alice)

  // The token request carried a proof; the identity provider bound the token to the proof's key.
  const token = await tokenResponse
  const tokenProof = (await token.request().allHeaders()).dpop
  t.ok(tokenProof, 'the token request carries a DPoP proof')
  const { access_token: accessToken, token_type: tokenType } = await token.json()
  t.equal(tokenType, 'DPoP')
  const [proofHeader] = decode(tokenProof!)
  const [, claims] = decode(accessToken)
  t.match(proofHeader, { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } })
  t.notOk('d' in proofHeader.jwk, 'only the public key leaves the browser')
  t.equal(claims.cnf?.jkt, thumbprint(proofHeader.jwk), 'cnf.jkt names the browser key')

  await page.waitForURL(`${spa}/home`)
  const { shown, headers } = await callMe(page, sent)
  t.same(shown.auth0_user, { sub: alice.sub, email: alice.email })
  t.equal(headers.authorization, `DPoP ${accessToken}`)
  const [header, proof] = decode(headers.dpop!)
  t.match(header, { typ: 'dpop+jwt', alg: 'ES256' })
  t.equal(thumbprint(header.jwk), claims.cnf.jkt, 'the proof is made with the same key')
  t.match(proof, { htm: 'GET', htu: `${api}/me`, ath: sha256(accessToken), jti: String, iat: Number })

  // Stolen from the browser and sent from here (Node's fetch), without the key: refused.
  const replay = (authorization: string, extra: Record<string, string> = {}) =>
    fetch(`${api}/me`, { headers: { authorization, ...extra } })
  const asBearer = await replay(`Bearer ${accessToken}`)
  t.equal(asBearer.status, 401, 'as a Bearer token')
  t.match(asBearer.headers.get('www-authenticate'), /error="invalid_token"/)
  const withoutProof = await replay(`DPoP ${accessToken}`)
  t.equal(withoutProof.status, 401, 'as DPoP without a proof')
  t.match(withoutProof.headers.get('www-authenticate'), /^DPoP /)
  const withUsedProof = await replay(`DPoP ${accessToken}`, { dpop: headers.dpop! })
  t.equal(withUsedProof.status, 401, "with the browser's proof, already used")

  // A reload gets a new token by silent authentication, bound to the same key (kept in IndexedDB).
  await page.reload()
  await page.waitForSelector('[data-testid=name]')
  const again = await callMe(page, sent)
  t.same(again.shown.auth0_user, { sub: alice.sub, email: alice.email }, '/me after a reload')
  t.equal(thumbprint(decode(again.headers.dpop!)[0].jwk), claims.cnf.jkt, 'the same key after a reload')
  t.match(again.headers.authorization, /^DPoP /)
})
