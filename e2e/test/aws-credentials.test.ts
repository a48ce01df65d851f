/**
 * The identity-pool path in a real browser: the SPA exchanges the Auth0 ID token at the identity pool stand-in
 * for AWS credentials, then calls /aws/whoami signed with them (SigV4) through the IAM gateway stand-in, which
 * verifies the signature and hands the caller to the API's Lambda handler (api/dist/lambda.js). Alice holds
 * read:users: the reader role; Bob: the user role. Credentials still valid are not fetched again.
 */
import { Writable } from 'node:stream'
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { STACK_NAME } from '../../local/src/aws/index.js'
import { USERS } from '../../local/src/users.js'
import { openPage } from './browser.js'
import { signInAt } from './flow.js'
import { nativeStack } from './native.js'

const [alice, bob] = USERS as [typeof USERS[0], typeof USERS[0]]
// What the API and the stand-ins print stays out of the TAP stream; their errors still reach it.
const quiet = new Writable({ write (_chunk, _encoding, done) { done() } })
const stack = await nativeStack(t, { output: { stdout: quiet, stderr: process.stderr } })
const { env } = stack
const IDENTITY_ID = /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** Logs `user` in and returns the page on /home, with a count of the calls it makes to the identity pool. */
async function signedIn (t: Test, user: typeof alice) {
  const { page } = await openPage(t)
  const cognitoCalls: string[] = []
  page.on('request', request => {
    if (request.url().startsWith(env.VITE_COGNITO_IDENTITY_ENDPOINT!) && request.method() === 'POST') {
      cognitoCalls.push(String(request.headers()['x-amz-target']))
    }
  })
  await page.goto(`${stack.urls.spa}/`)
  await page.click('text=Login with Auth0')
  await signInAt(stack.urls.idp, page, user)
  await page.waitForURL(`${stack.urls.spa}/home`)
  return { page, cognitoCalls }
}

const status = (page: Page) => page.textContent('[data-testid=aws-outcome] [role=status]')

/** Clicks the signed call and returns the /aws/whoami answer the page shows, and the request's Authorization. */
async function whoami (page: Page) {
  const sent = page.waitForRequest(request =>
    request.method() === 'GET' && request.url() === `${env.VITE_AWS_API_BASE_URL}/aws/whoami`)
  await page.click('text=Call /aws/whoami signed')
  const authorization = (await sent).headers().authorization
  const json = await page.textContent('[data-testid=whoami-result]')
  return { caller: JSON.parse(json ?? 'null'), authorization }
}

async function credentialsThenWhoami (t: Test, user: typeof alice, role: string) {
  const { page, cognitoCalls } = await signedIn(t, user)
  const clicked = performance.now()
  await page.click('text=Get AWS credentials')
  await page.waitForSelector('[data-testid=aws-identity]')
  t.comment(`${user.email}: click to credentials shown in ${Math.round(performance.now() - clicked)} ms`)
  t.equal(await status(page), 'The identity pool issued new credentials.')
  t.same(cognitoCalls, ['AWSCognitoIdentityService.GetId', 'AWSCognitoIdentityService.GetCredentialsForIdentity'])
  const identityId = (await page.textContent('[data-testid=aws-identity] code'))?.trim()
  t.match(identityId, IDENTITY_ID)

  const { caller, authorization } = await whoami(page)
  t.match(authorization, /^AWS4-HMAC-SHA256 Credential=ASIA[0-9A-Z]+\/\d{8}\/us-east-1\/execute-api\/aws4_request, /)
  t.same(caller, {
    identity_id: identityId,
    identity_pool_id: env.VITE_COGNITO_IDENTITY_POOL_ID,
    user_arn: `arn:aws:sts::000000000000:assumed-role/${STACK_NAME}-${role}/CognitoIdentityCredentials`,
    authentication_provider: `${new URL(stack.urls.idp).host},${new URL(stack.urls.idp).host}:${user.sub}`,
    amr: ['authenticated', new URL(stack.urls.idp).host, `${new URL(stack.urls.idp).host}:${user.sub}`]
  }, 'API Gateway\'s caller, as the Lambda handler read it')
  t.equal(await status(page), `AWS says you are ${STACK_NAME}-${role}.`)

  // Still valid for an hour: neither the signed call above nor another click asks the identity pool again.
  await page.click('text=Get AWS credentials')
  await page.waitForFunction(() => document.querySelector('[data-testid=aws-outcome] [role=status]')
    ?.textContent === 'These credentials are still valid: no new exchange.')
  t.equal(cognitoCalls.length, 2, 'reused credentials are not fetched again')
  return identityId
}

t.test('Alice (read:users) gets the reader role, Bob the user role; each identity their own', async t => {
  const aliceId = await credentialsThenWhoami(t, alice, 'reader')
  const bobId = await credentialsThenWhoami(t, bob, 'user')
  t.not(aliceId, bobId)
})
