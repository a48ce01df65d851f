import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import type { CognitoClient } from '../../src/services/cognito-service.js'
import { POOL_ID } from '../fixtures/cognito-stub.js'
import { build, setup } from '../helper.js'

t.test('the plugin destroys the client it created: its kept-alive connections close with the app', async t => {
  const { app, cognito } = await setup(t)
  t.equal((await app.cognito.describePool()).Id, POOL_ID)
  t.ok(cognito.open > 0, 'the SDK keeps its connection to Cognito open')
  await app.close()
  for (let waited = 0; cognito.open > 0 && waited < 1_000; waited += 10) await sleep(10)
  t.equal(cognito.open, 0, 'closed by the client, not by the server\'s keep-alive timeout (5 s)')
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
