import t from 'tap'
import type { CognitoClient } from '../../src/services/cognito-service.js'
import { POOL_ID } from '../fixtures/cognito-stub.js'
import { build, setup } from '../helper.js'

// The stub never closes an idle connection itself: without the client's destroy, this test times out.
t.test('the plugin destroys the client it created: its kept-alive connections close with the app', {
  timeout: 10_000
}, async t => {
  const { app, cognito } = await setup(t)
  t.equal((await app.cognito.describePool()).Id, POOL_ID)
  t.ok(cognito.open > 0, 'the SDK keeps its connection to Cognito open')
  await app.close()
  while (cognito.open > 0) await new Promise(resolve => setImmediate(resolve))
  t.pass('closed by the client')
})

t.test('an injected client is the caller\'s: the app uses it and never destroys it', async t => {
  let sent = 0
  let destroyed = 0
  const client = {
    send: async () => { sent++; return { UserPool: { Id: POOL_ID } } },
    destroy: () => { destroyed++ }
  }
  const app = await build(t, { deps: { cognitoClient: client as unknown as CognitoClient } })
  t.equal((await app.cognito.describePool()).Id, POOL_ID)
  t.equal(sent, 1)
  await app.close()
  t.equal(destroyed, 0)
})
