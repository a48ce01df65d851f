/**
 * Sessions in a browser that blocks third-party cookies (README: Sessions). The SPA on 127.0.0.1 and the identity
 * provider on localhost are different sites: the silent-auth iframe gets no session cookie there, so the default mode
 * loses the session on a reload; refresh tokens keep it. Then dead refresh tokens and tabs that agree.
 */
import type { Page, Request } from 'playwright-core'
import t, { type Test } from 'tap'
import { USERS } from '../../local/src/users.js'
import { signInAt } from './flow.js'
import { openBrowser, sessionStack } from './sessions-setup.js'

const alice = USERS[0]!

async function signIn (page: Page, { spa, idp }: { spa: string, idp: string }) {
  await page.goto(`${spa}/`)
  await page.click('text=Login with Auth0')
  await signInAt(idp, page, alice)
  await page.waitForURL(`${spa}/home`)
  // The SDK may still be storing a token it just got (a refresh token read now could be the one it replaces).
  await page.waitForLoadState('networkidle')
}

/** Opens the SPA's start page again (a reload): a session it can restore goes on to /home. */
async function reopen (page: Page, spa: string) {
  await page.goto(`${spa}/`)
  await page.waitForFunction(() => document.querySelector('[data-testid=auth-state]') &&
    !/Redirecting/.test(document.querySelector('main')?.textContent ?? ''))
  return { path: new URL(page.url()).pathname, state: await page.textContent('[data-testid=auth-state]') }
}

/** The refresh token the SDK holds in localStorage. */
const heldRefreshToken = (page: Page) => page.evaluate(() => Object.keys(localStorage)
  .filter(key => key.startsWith('@@auth0spajs@@') && !key.endsWith('@@user@@'))
  .map(key => JSON.parse(localStorage.getItem(key)!).body?.refresh_token).find(Boolean) as string | undefined)
/** The refresh-token requests `page` sends to the identity provider at `idp`, as they go out. */
const refreshes = (page: Page, idp: string) => {
  const seen: Request[] = []
  page.on('request', r => {
    if (r.url() === `${idp}/oauth/token` && /grant_type=refresh_token/.test(r.postData() ?? '')) seen.push(r)
  })
  return seen
}

const signedIn = { path: '/home', state: `Signed in as ${alice.email}` }
const signedOut = { path: '/', state: 'Not signed in' }

t.test('default mode (silent-auth iframe)', async t => {
  const crossSite = await sessionStack(t, { spaHost: '127.0.0.1' })
  const sameSite = await sessionStack(t, { spaHost: 'localhost' })
  const cases: Array<[string, typeof crossSite, 'block' | 'allow', typeof signedIn]> = [
    ['cross-site, third-party cookies blocked: the reload loses the session', crossSite, 'block', signedOut],
    ['cross-site, third-party cookies allowed: kept (the blocking is what loses it)', crossSite, 'allow', signedIn],
    ['same-site, third-party cookies blocked: kept', sameSite, 'block', signedIn]
  ]
  for (const [name, urls, thirdPartyCookies, expected] of cases) {
    await t.test(name, async (t: Test) => {
      const { page } = await openBrowser(t, { thirdPartyCookies })
      await signIn(page, urls)
      t.same(await reopen(page, urls.spa), expected)
    })
  }
})

t.test('refresh-token mode (VITE_AUTH0_USE_REFRESH_TOKENS=true), cross-site, third-party cookies blocked', async t => {
  // Access tokens of 30 s: within the SDK's 60 s leeway, so every token call of the SPA uses the refresh token.
  const urls = await sessionStack(t, {
    spaHost: '127.0.0.1', vite: { VITE_AUTH0_USE_REFRESH_TOKENS: 'true' }, accessTokenTtl: 30
  })
  const { spa, idp } = urls
  await t.test('a reload keeps the session, through a rotated refresh token', async t => {
    const { page } = await openBrowser(t, { thirdPartyCookies: 'block' })
    const seen = refreshes(page, idp)
    await signIn(page, urls)
    const first = await heldRefreshToken(page)
    t.ok(first, 'a refresh token, kept in localStorage')
    t.same(await reopen(page, spa), signedIn)
    t.ok(seen.length >= 1, 'the reload used the refresh token')
    const second = await heldRefreshToken(page)
    t.ok(second && second !== first, 'and got a new one (rotation)')
    t.same(await reopen(page, spa), signedIn, 'and again with the new one')
  })

  await t.test('a reused refresh token: the session ends, saying why, no loop; its newest successor dies', async t => {
    const { page } = await openBrowser(t, { thirdPartyCookies: 'block' })
    await signIn(page, urls)
    const stolen = (await heldRefreshToken(page))!
    // Someone else uses the browser's refresh token first: the browser's next use is a reuse.
    const thief = await tokenRequest(idp, urls, stolen)
    t.equal(thief.status, 200, 'someone else refreshes with it first')
    t.same(await reopen(page, spa), signedOut)
    const why = await page.textContent('[data-testid=session-ended]')
    t.match(why, /Your session has ended\. Auth0 no longer accepts/)
    t.equal(await heldRefreshToken(page), undefined, 'the SDK holds no token any more')
    t.equal((await tokenRequest(idp, urls, thief.body.refresh_token!)).status, 400, "the thief's newer token too")
    t.same(await reopen(page, spa), signedOut, 'a reload stays signed out, quietly')
    t.equal(await page.$('[data-testid=session-ended]'), null)
    // Auth0's session outlives the refresh tokens' family: back in without the login form.
    await page.click('text=Login with Auth0')
    await page.waitForURL(`${spa}/home`)
    t.equal(await page.textContent('[data-testid=auth-state]'), signedIn.state, 'and logging in again works')
  })

  const NOTICE_MS = 10_000
  await t.test('tabs agree: log out in one, the other leaves /home; log in in one, the other notices', async t => {
    const { context, page: one } = await openBrowser(t, { thirdPartyCookies: 'block' })
    await signIn(one, urls)
    const two = await context.newPage()
    t.same(await reopen(two, spa), signedIn, 'the second tab shares the session')
    await one.click('text=Log out')
    // Tab two never reloads or polls: only the BroadcastChannel message can move it. It moves within a second on a
    // quiet machine; the wait is loose so that a loaded CI machine (two cores, two Chromium tabs) does not fail it.
    await two.waitForURL(`${spa}/`, { timeout: NOTICE_MS })
    t.match(await two.textContent('[data-testid=session-ended]'), /You logged out in another tab\./)
    await one.waitForURL(`${spa}/`)
    await one.click('text=Login with Auth0')
    await signInAt(idp, one, alice)
    await one.waitForURL(`${spa}/home`)
    await two.waitForURL(`${spa}/home`, { timeout: NOTICE_MS })
    t.equal(await two.textContent('[data-testid=auth-state]'), signedIn.state)
  })
})

/** A refresh at the identity provider from outside the browser. */
async function tokenRequest (idp: string, { spa }: { spa: string }, refreshToken: string) {
  const res = await fetch(`${idp}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: spa },
    body: new URLSearchParams({
      grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'local-spa-client'
    })
  })
  return { status: res.status, body: await res.json() as Record<string, string> }
}

t.test('refresh tokens with DPoP: bound to the browser key, renewed with a proof of it', async t => {
  const urls = await sessionStack(t, {
    spaHost: '127.0.0.1',
    vite: { VITE_AUTH0_USE_REFRESH_TOKENS: 'true', VITE_AUTH0_USE_DPOP: 'true' },
    accessTokenTtl: 30
  })
  const { page } = await openBrowser(t, { thirdPartyCookies: 'block' })
  const seen = refreshes(page, urls.idp)
  await signIn(page, urls)
  const held = (await heldRefreshToken(page))!
  // Without the key, from here: refused, and (unlike a reuse) harmless to the browser's session.
  const stolen = await tokenRequest(urls.idp, urls, held)
  t.match(stolen, { status: 400, body: { error: 'invalid_grant' } }, 'the refresh token alone is refused')
  t.same(await reopen(page, urls.spa), signedIn, 'the reload renews with a proof')
  const renewal = seen.at(-1)!
  t.ok((await renewal.allHeaders()).dpop, 'the refresh request carries a DPoP proof')
  t.equal((await (await renewal.response())!.json()).token_type, 'DPoP')
})
