/**
 * The real flow in a real browser (Debian's Chromium): the scenarios, run against wherever the
 * app is served. flow.test.ts runs them natively; containers/compose.test.ts against docker compose.
 */
import type { Page } from 'playwright-core'
import type { Test } from 'tap'
import { USERS } from '../src/users.js'
import { openPage } from './browser.js'

const [alice, bob] = USERS as [typeof USERS[0], typeof USERS[0]]

export interface Target {
  urls: { spa: string, idp: string }
  env: Record<string, string>
  /** Where to save the screenshot of /home after /me (the README's), if anywhere. */
  screenshot?: string
}

export function flowTests (t: Test, { urls: { spa, idp }, env, screenshot }: Target) {
  async function signIn (page: Page, user: { email: string, password: string }) {
    await page.waitForURL(`${idp}/interaction/**`)
    await page.fill('#username', user.email)
    await page.fill('#password', user.password)
    await page.click('button[type=submit]')
  }

  async function callMe (page: Page) {
    await page.click('text=Call Protected Backend /me')
    return JSON.parse(await page.textContent('[data-testid=me-result]') ?? 'null')
  }

  t.test('login, /home, /me with the federated user, reload, logout', async t => {
    const { page, console } = await openPage(t)
    const tokenResponse = page.waitForResponse(`${idp}/oauth/token`)
    await page.goto(`${spa}/`)
    await page.click('text=Login with Auth0')
    await signIn(page, alice)

    // The access token is shaped like Auth0's, with the email as the Post-Login Action would add it.
    const { access_token: accessToken } = await (await tokenResponse).json()
    const [header, claims] = accessToken.split('.').slice(0, 2).map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()))
    t.match(header, { alg: 'RS256', typ: 'JWT', kid: String })
    t.match(claims, {
      iss: `${idp}/`,
      sub: alice.sub,
      aud: [env.AUTH0_AUDIENCE, `${idp}/userinfo`],
      azp: env.AUTH0_CLIENT_ID,
      scope: /openid/,
      iat: Number,
      exp: Number,
      [env.AUTH0_EMAIL_CLAIM!]: alice.email
    })

    await page.waitForURL(`${spa}/home`)
    t.equal(await page.textContent('[data-testid=name]'), alice.name)
    t.equal(await page.textContent('[data-testid=email]'), alice.email)
    t.equal(await page.textContent('[data-testid=sub]'), alice.sub)

    const me = await callMe(page)
    t.same(me.auth0_user, { sub: alice.sub, email: alice.email })
    t.equal(me.cognito_result.user_pool.id, env.COGNITO_USER_POOL_ID)
    t.equal(me.cognito_result.federated_user.username, `Auth0_${alice.sub}`)
    t.equal(me.cognito_result.federated_user.status, 'EXTERNAL_PROVIDER')
    // The README's screenshot: made here, so it always shows what the app really does.
    if (screenshot) await page.screenshot({ path: screenshot })

    await page.reload()
    await page.waitForSelector('[data-testid=name]')
    t.equal(page.url(), `${spa}/home`, 'a reload keeps the session (silent authentication)')
    t.equal(await page.textContent('[data-testid=sub]'), alice.sub)

    await page.click('main >> text=Log out')
    await page.waitForURL(`${spa}/`)
    await page.waitForSelector('text=Login with Auth0')
    t.equal(await page.textContent('[data-testid=auth-state]'), 'Not signed in')

    await page.goto(`${spa}/home`)
    await page.waitForURL(`${idp}/interaction/**`)
    t.match(await page.textContent('h1'), 'Log in', '/home now leads to the login page: the Auth0 session is gone too')
    t.notMatch(console.join('\n'), /Content Security Policy|Refused to/, 'the CSP let through everything the app needed')
  })

  t.test('a user who never signed in through Cognito: federated_user is null', async t => {
    const { page } = await openPage(t)
    await page.goto(`${spa}/`)
    await page.click('text=Login with Auth0')
    await signIn(page, bob)
    await page.waitForURL(`${spa}/home`)
    const me = await callMe(page)
    t.equal(me.auth0_user.sub, bob.sub)
    t.equal(me.cognito_result.federated_user, null)
    t.equal(me.cognito_result.user_pool.id, env.COGNITO_USER_POOL_ID)
  })

  t.test('a wrong password stays on the login page with an error', async t => {
    const { page } = await openPage(t)
    await page.goto(`${spa}/`)
    await page.click('text=Login with Auth0')
    await signIn(page, { email: alice.email, password: 'not-the-password' })
    await page.waitForSelector('[role=alert]')
    t.equal(await page.textContent('[role=alert]'), 'Wrong email or password.')
    t.match(page.url(), `${idp}/interaction/`)
  })

  t.test('/home while signed out leads to login and back to /home', async t => {
    const { page } = await openPage(t)
    await page.goto(`${spa}/home`)
    await signIn(page, alice)
    await page.waitForURL(`${spa}/home`)
    t.equal(await page.textContent('[data-testid=email]'), alice.email)
  })
}
