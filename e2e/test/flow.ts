/**
 * The real flow in a real browser (Debian's Chromium): the scenarios, run against wherever the
 * app is served. flow.test.ts runs them natively; containers/compose.test.ts against docker compose.
 */
import type { Page } from 'playwright-core'
import type { Test } from 'tap'
import { USERS } from '../../local/src/users.js'
import { keepScreenshot, measureLayout, openPage } from './browser.js'

const [alice, bob] = USERS as [typeof USERS[0], typeof USERS[0]]

interface Target {
  urls: { spa: string, idp: string }
  env: Record<string, string>
  /** Where to save the screenshot of /home after /me (the README's), if anywhere. */
  screenshot?: string
  /** The SPA was built with VITE_AUTH0_USE_DPOP=true: API calls go out as DPoP with a proof, not as Bearer. */
  dpop?: boolean
}

/** A JWT's header and claims, read without verifying it (what the tests check the shape of). */
export const decodeJwt = (jwt: string) => jwt.split('.').slice(0, 2)
  .map(part => JSON.parse(Buffer.from(part, 'base64url').toString())) as [Record<string, any>, Record<string, any>]

/** Fills in the stand-in's login page at `idp` once the browser is on it. */
export async function signInAt (idp: string, page: Page, user: { email: string, password: string }) {
  await page.waitForURL(`${idp}/interaction/**`)
  await page.fill('#username', user.email)
  await page.fill('#password', user.password)
  await page.click('button[type=submit]')
}

export function flowTests (t: Test, { urls: { spa, idp }, env, screenshot, dpop = false }: Target) {
  const signIn = (page: Page, user: { email: string, password: string }) => signInAt(idp, page, user)

  /**
   * Calls /me, checks the token went out in the scheme the build chose and the focus moved to what the call
   * produced, and returns the raw JSON the page shows.
   */
  async function callMe (t: Test, page: Page) {
    const sent = page.waitForRequest(request => request.method() === 'GET' && new URL(request.url()).pathname === '/me')
    await page.click('text=Call Protected Backend /me')
    const { authorization, dpop: proof } = (await sent).headers()
    const scheme = dpop
      ? { authorization: /^DPoP /, proof: /^ey/ }
      : { authorization: /^Bearer /, proof: undefined }
    t.match({ authorization, proof }, scheme, dpop ? 'sent as DPoP, with a proof' : 'sent as Bearer')
    const json = await page.textContent('[data-testid=me-result]')
    t.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'me-outcome',
      'the focus moved to the result')
    return JSON.parse(json ?? 'null')
  }

  /** Looks `sub` up in /home's panel and returns what the panel says. */
  async function lookUp (page: Page, sub: string) {
    await page.fill('#lookup-sub', sub)
    await page.click('button:text-is("Look up")')
    await page.waitForSelector(`[data-testid=lookup-outcome] >> text=${JSON.stringify(sub)}`)
    return page.textContent('[data-testid=lookup-outcome]')
  }

  // The SPA and the stand-in both name their icon, so the browser asks for no /favicon.ico. A 404 from
  // /users/:sub is the API's answer (no profile), not something missing.
  const noNotFound = (t: Test, console: string[]) => {
    const assets = console.filter(line => !line.includes('/users/')).join('\n')
    t.notMatch(assets, /status of 404/, 'nothing the pages asked for was missing')
  }

  t.test('login, /home, /me with the federated user, reload, logout', async t => {
    const { page, console } = await openPage(t)
    const tokenResponse = page.waitForResponse(`${idp}/oauth/token`)
    // The link Auth0 sends the browser back with: opened again later, its login is already done.
    const callbackLink = page.waitForRequest(request => request.url().startsWith(`${spa}/callback?`))
    await page.goto(`${spa}/`)
    await page.click('text=Login with Auth0')
    await page.waitForURL(`${idp}/interaction/**`)
    t.equal(await page.title(), 'Log in | Local Auth0')
    await signIn(page, alice)

    // The access token is shaped like Auth0's, with the email as the Post-Login Action would add it.
    const { access_token: accessToken } = await (await tokenResponse).json()
    const [header, claims] = decodeJwt(accessToken)
    t.match(header, { alg: 'RS256', typ: 'JWT', kid: String })
    t.match(claims, {
      iss: `${idp}/`,
      sub: alice.sub,
      aud: [env.AUTH0_AUDIENCE, `${idp}/userinfo`],
      azp: env.AUTH0_CLIENT_ID,
      scope: /openid/,
      iat: Number,
      exp: Number,
      [env.AUTH0_EMAIL_CLAIM!]: alice.email,
      permissions: ['read:users']
    })

    await page.waitForURL(`${spa}/home`)
    t.equal(await page.title(), 'Home | Auth0 + Cognito POC')
    t.equal(await page.textContent('[data-testid=name]'), alice.name)
    t.equal(await page.textContent('[data-testid=email]'), alice.email)
    t.equal(await page.textContent('[data-testid=sub]'), alice.sub)

    const me = await callMe(t, page)
    t.same(me.auth0_user, { sub: alice.sub, email: alice.email })
    t.equal(me.cognito_result.user_pool.id, env.COGNITO_USER_POOL_ID)
    t.equal(me.cognito_result.federated_user.username, `Auth0_${alice.sub}`)
    t.equal(me.cognito_result.federated_user.status, 'EXTERNAL_PROVIDER')
    t.match(await page.textContent('[data-testid=federated-profile]'), `Auth0_${alice.sub} (EXTERNAL_PROVIDER`)
    // Alice holds read:users: /users/:sub answers her, for Bob (no profile yet) and for herself.
    const noProfile = (sub: string) => `Cognito has no federated profile for ${sub}. ` +
      'Either no Auth0 user has this id, or they have not signed in through Cognito yet.'
    t.equal(await lookUp(page, bob.sub), noProfile(bob.sub))
    t.equal(await lookUp(page, 'auth0|nobody123'), noProfile('auth0|nobody123'), 'a made-up sub: the same words')
    t.match(await lookUp(page, alice.sub), `Federated profile of ${alice.sub}: Auth0_${alice.sub} (EXTERNAL_PROVIDER`)
    // The README's screenshot: made here, so it always shows what the app really does. The focus
    // scrolled the page down to the result; the picture starts at the top, with the profile.
    if (screenshot) {
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: screenshot })
    }

    await page.reload()
    await page.waitForSelector('[data-testid=name]')
    t.equal(page.url(), `${spa}/home`, 'a reload keeps the session (silent authentication)')
    t.equal(await page.textContent('[data-testid=sub]'), alice.sub)

    // The used login link, opened again with the session alive: said so, never "Login did not complete".
    const usedLink = (await callbackLink).url()
    await page.goto(usedLink)
    await page.waitForSelector('h1:text-is("Already signed in")')
    t.equal(await page.textContent('main'),
      'Already signed inThis login link was already used or is stale. You are still signed in.Go to Home')
    t.match(await page.textContent('[data-testid=auth-state]'), alice.email)

    await page.goto(`${spa}/home`)
    await page.click('header >> text=Log out')
    await page.waitForURL(`${spa}/`)
    await page.waitForSelector('text=Login with Auth0')
    t.equal(await page.title(), 'Sign in | Auth0 + Cognito POC')
    t.equal(await page.textContent('[data-testid=auth-state]'), 'Not signed in')

    // Signed out, the same link says what to do.
    await page.goto(usedLink)
    await page.waitForSelector('text=Login did not complete')
    t.equal(await page.textContent('[role=alert]'),
      'Login did not completeThis login link was already used or is stale.Start again')
    t.equal(page.url(), `${spa}/callback`, 'the code and state are gone from the address bar')

    await page.goto(`${spa}/home`)
    await page.waitForURL(`${idp}/interaction/**`)
    t.match(await page.textContent('h1'), 'Log in', '/home now leads to the login page: the Auth0 session is gone too')
    t.notMatch(console.join('\n'), /Content Security Policy|Refused to/, 'the CSP let through all the app needed')
    noNotFound(t, console)
  })

  t.test('a user who never signed in through Cognito and holds no permission: null profile, no lookup', async t => {
    const { page } = await openPage(t)
    await page.goto(`${spa}/`)
    await page.click('text=Login with Auth0')
    await signIn(page, bob)
    await page.waitForURL(`${spa}/home`)
    const me = await callMe(t, page)
    t.equal(me.auth0_user.sub, bob.sub)
    t.equal(me.cognito_result.federated_user, null)
    t.match(await page.textContent('[data-testid=federated-profile]'), /^None yet\./, 'said in words too')
    t.equal(me.cognito_result.user_pool.id, env.COGNITO_USER_POOL_ID)
    t.match(await lookUp(page, alice.sub), `You may not look up ${alice.sub}. The API said: This token lacks the `,
      'Bob holds no permission: the 403, in words')
  })

  t.test('a wrong password stays on the login page with an error, the focus back on the password', async t => {
    const { page, console } = await openPage(t)
    await page.goto(`${spa}/`)
    await page.click('text=Login with Auth0')
    await signIn(page, { email: alice.email, password: 'not-the-password' })
    await page.waitForSelector('[role=alert]')
    t.equal(await page.textContent('[role=alert]'), 'Wrong email or password.')
    t.match(page.url(), `${idp}/interaction/`)
    t.equal(await page.evaluate(() => document.activeElement?.id), 'password')
    noNotFound(t, console)
  })

  t.test('/home while signed out leads to login and back to /home', async t => {
    const { page } = await openPage(t)
    await page.goto(`${spa}/home`)
    await signIn(page, alice)
    await page.waitForURL(`${spa}/home`)
    t.equal(await page.textContent('[data-testid=email]'), alice.email)
  })

  t.test('on a phone (390x844): no sideways scrolling, a one-line header, no email broken mid-word, ' +
    '44x44 touch targets', async t => {
    const { page, console } = await openPage(t, { viewport: { width: 390, height: 844 } })
    async function fits (where: string) {
      const { pageWidth, viewportWidth, wrapped, cut } = await measureLayout(page, {
        oneLine: ['header', '[data-testid=email]'], whole: ['[data-testid=auth-state]']
      })
      t.ok(pageWidth <= viewportWidth, `${where}: ${pageWidth}px of content in ${viewportWidth}px`)
      t.same({ wrapped, cut }, { wrapped: [], cut: [] }, `${where}: nothing wrapped or cut`)
    }
    const bigEnough = async (where: string) =>
      t.same(await smallTargets(page), [], `${where}: every button, link and field is at least 44x44 px`)
    await page.goto(`${spa}/`)
    await page.waitForSelector('text=Login with Auth0')
    await fits('start page')
    await bigEnough('start page')

    await page.click('text=Login with Auth0')
    await signIn(page, alice)
    await page.waitForURL(`${spa}/home`)
    await callMe(t, page)
    await fits('/home after /me')
    await bigEnough('/home after /me')
    t.comment(`screenshot: ${await keepScreenshot(page, 'phone-home-after-me.png')}`)

    await lengthenEmail(page, 'averyveryverylongmailboxnamewithoutbreaks1234567')
    const { pageWidth, viewportWidth, wrapped, cut } = await measureLayout(page, {
      oneLine: ['header'], whole: ['[data-testid=auth-state]']
    })
    t.ok(pageWidth <= viewportWidth, `a long email: ${pageWidth}px of content in ${viewportWidth}px`)
    t.same(wrapped, [], 'a long email: the header stays on one line')
    t.equal(cut.length, 1, 'a long email: the header cuts it short, with an ellipsis')
    t.same(await emailLines(page), { broken: [], lines: 2, scrolls: true },
      'a long email on the page: no part broken, a new line after the @, the mailbox scrolls inside its box')

    // An error_description is quoted as Auth0 sent it, even one unbroken word.
    await page.goto(`${spa}/callback?error=invalid_request&error_description=${'0123456789abcdef'.repeat(12)}`)
    await page.waitForSelector('h1:text-is("Already signed in")')
    await fits('a long error on /callback')
    noNotFound(t, console)
  })
}

/**
 * No stand-in user has a long email: this lengthens the mailbox of the one shown, in the header and on
 * /home, in the DOM the app rendered, so the places where it may break are still the app's own.
 */
function lengthenEmail (page: Page, mailbox: string) {
  return page.evaluate(mailbox => {
    for (const shown of document.querySelectorAll('[data-testid=auth-state], [data-testid=email]')) {
      const text = [...shown.childNodes].find((node): node is Text => node instanceof Text && node.data.includes('@'))
      text!.data = text!.data.replace(/^[^@]*/, mailbox)
    }
  }, mailbox)
}

/** The buttons, links and fields in the header and the page smaller than 44x44 CSS px (WCAG 2.5.5), with their size. */
function smallTargets (page: Page) {
  return page.$$eval('header :is(a, button, input), main :is(a, button, input)', targets => targets
    .map(target => ({ target: target.outerHTML, box: target.getBoundingClientRect() }))
    .filter(({ box }) => box.width < 44 || box.height < 44)
    .map(({ target, box }) => `${target}: ${Math.round(box.width)}x${Math.round(box.height)}`))
}

/** How /home's email is laid out: the parts broken over lines (each then has a box per line), lines, overflow. */
function emailLines (page: Page) {
  return page.$eval('[data-testid=email]', dd => {
    const boxes = (node: Node) => {
      const range = document.createRange()
      range.selectNodeContents(node)
      return [...range.getClientRects()]
    }
    const parts = [...dd.childNodes].filter(node => node instanceof Text)
    return {
      broken: parts.filter(part => boxes(part).length > 1).map(part => part.data),
      lines: new Set(boxes(dd).map(box => Math.round(box.top))).size,
      scrolls: dd.scrollWidth > dd.clientWidth
    }
  })
}
