/**
 * The DPoP replay memory through the whole app: two instances sharing one DynamoDB table (dynalite on
 * 127.0.0.1, reached through the SDK's own AWS_ENDPOINT_URL_DYNAMODB) refuse each other's proofs, and a memory
 * that can answer neither yes nor no answers 503, never a silent accept.
 */
import { createServer } from 'node:net'
import t, { type Test } from 'tap'
import { createMemoryReplayStore } from '../../src/replay/memory.js'
import { dpopClient } from '../../support/dpop-client.js'
import { startDynalite, TABLE } from '../../support/dynalite.js'
import { POOL_ID } from '../fixtures/cognito-stub.js'
import { startIdentityProvider } from '../fixtures/identity-provider.js'
import { build, captureLogs, setEnv, setup, testConfig } from '../helper.js'

const ME = 'http://localhost/me'
const dynamo = await startDynalite()
t.teardown(dynamo.close)

/** An idp, a bound token, and `app` instances of the API built from one config (each its own SDK clients). */
async function instances (t: Test, count: number, endpoint: string) {
  const idp = await startIdentityProvider()
  t.after(idp.close)
  setEnv(t, { AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' })
  const config = testConfig({ AUTH0_DOMAIN: idp.domain, DPOP_REPLAY_TABLE: TABLE, COGNITO_USER_POOL_ID: POOL_ID })
  const logs = captureLogs()
  const deps = { logger: logs.logger }
  const apps = await Promise.all(Array.from({ length: count }, () => build(t, { config, deps })))
  const client = dpopClient()
  const token = idp.signToken({ cnf: { jkt: client.jkt } })
  // Only auth matters here: a proof that passes goes on to Cognito, which is not there (502), never a 401.
  const get = (app: typeof apps[number], proof: string) =>
    app.inject({ url: '/me', headers: { authorization: `DPoP ${token}`, dpop: proof } })
  return { apps, get, proof: () => client.proof({ htu: ME, token }), logs }
}

t.test('two instances sharing one table refuse each other\'s proofs', async t => {
  const { apps: [one, two], get, proof } = await instances(t, 2, dynamo.endpoint)
  const first = proof()
  t.not((await get(one!, first)).statusCode, 401, 'the first use passes auth on one instance')
  const replayed = await get(two!, first)
  t.equal(replayed.statusCode, 401, 'the same proof on the other instance')
  t.equal(replayed.json().error, 'invalid_dpop_proof')
  const second = proof()
  t.not((await get(two!, second)).statusCode, 401)
  t.equal((await get(one!, second)).statusCode, 401, 'and the other way round')
})

t.test('the shared store down: 503 replay_store_unavailable with Retry-After, logged; never a silent accept',
  async t => {
    const closed = createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as { port: number }
    await new Promise(resolve => closed.close(resolve))
    const { apps: [app], get, proof, logs } = await instances(t, 1, `http://127.0.0.1:${port}`)
    const res = await get(app!, proof())
    t.equal(res.statusCode, 503)
    const message = 'Cannot accept DPoP proofs right now, retry shortly'
    t.same(res.json(), { error: 'replay_store_unavailable', message })
    t.equal(res.headers['retry-after'], '5')
    const logged = logs.lines.findLast(line => line.msg === 'request failed')
    t.match(logged, { level: 50, err: { code: 'replay_store_unavailable', upstream: { name: 'ECONNREFUSED' } } })
  })

t.test('a full in-process memory: 503 replay_memory_full with Retry-After, rather than forget a proof', async t => {
  const { app, idp } = await setup(t, {}, { replayStore: createMemoryReplayStore({ capacity: 1 }) })
  const client = dpopClient()
  const token = idp.signToken({ cnf: { jkt: client.jkt } })
  const get = () => app.inject({
    url: '/me', headers: { authorization: `DPoP ${token}`, dpop: client.proof({ htu: ME, token }) }
  })
  t.equal((await get()).statusCode, 200)
  const full = await get()
  t.equal(full.statusCode, 503)
  t.equal(full.json().error, 'replay_memory_full')
  t.ok(Number(full.headers['retry-after']) > 0, 'when the oldest proof expires')
})
