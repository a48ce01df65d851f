/**
 * `npm start`'s banner: every route, and with the stand-ins each demo user's login and Auth0 sub (a newcomer
 * looking Bob up should not have to log in as Bob to find his). e2e/test/routes.test.ts holds ROUTES to the app.
 */
import t from 'tap'
import { banner, ROUTES } from '../src/banner.js'
import { USERS } from '../src/users.js'

const urls = { spa: 'http://localhost:3000', api: 'http://localhost:8000', idp: 'http://localhost:4000' }
const cognito = { endpoint: 'http://127.0.0.1:9229', poolId: 'us-east-1_L0calP00l' }
const aws = {
  identityEndpoint: 'http://localhost:9230/',
  identityPoolId: 'us-east-1:0ca1c0de-0000-4000-8000-000000000001',
  gateway: 'http://localhost:8001'
}

t.test('with the stand-ins: the URLs, every route, each demo user with their sub beside their login', async t => {
  const text = banner({ urls, cognito, aws })
  for (const url of Object.values(urls)) t.match(text, url)
  t.match(text, /^ {2}ID pool +http:\/\/localhost:9230\/ {2}\(us-east-1:0ca1c0de-[0-9a-f-]+\)$/m)
  t.match(text, /^ {2}IAM gateway +http:\/\/localhost:8001 {2}\(API Gateway's IAM authorization: GET \/aws\/whoami\)$/m)
  t.match(text, 'http://localhost:4000  (local stand-in)')
  t.match(text, 'http://127.0.0.1:9229  (cognito-local, pool us-east-1_L0calP00l)')
  for (const [route] of ROUTES) t.match(text, new RegExp(`^ +${route} `, 'm'), route)
  t.equal(USERS.length, 2)
  for (const user of USERS) {
    t.match(text, new RegExp(`^ +${user.email} / ${user.password} +${user.sub.replace('|', '\\|')}$`, 'm'), user.email)
  }
  t.match(text, /alice-demo-pass.*\n +has a federated Cognito user; may read:users$/m)
  t.match(text, /bob-demo-pass.*\n +no Cognito user yet: federated_user is null; no permission$/m)
  t.match(text, /\n\nPress Ctrl-C to stop\.$/)
  for (const line of text.split('\n')) t.ok(line.length <= 100, `fits a terminal: ${line.trim()}`)
})

t.test('with real services: no stand-in, no demo user, the routes still', async t => {
  const text = banner({ urls })
  t.notMatch(text, 'stand-in')
  t.notMatch(text, 'Cognito  ')
  t.notMatch(text, 'Demo users')
  for (const user of USERS) t.notMatch(text, user.sub)
  for (const [route] of ROUTES) t.match(text, route)
  t.match(text, /^ {2}Auth0 +http:\/\/localhost:4000$/m)
})
