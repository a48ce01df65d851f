import { createServer, type Socket } from 'node:net'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import t, { type Test } from 'tap'
import { createDynamoDbReplayStore } from '../../src/replay/dynamodb.js'
import { createReplayStore } from '../../src/replay/index.js'
import { ReplayStoreError } from '../../src/replay/store.js'
import { startDynalite, TABLE } from '../../support/dynalite.js'
import { setEnv } from '../helper.js'

const dynamo = await startDynalite()
t.teardown(dynamo.close)

/** What an instance's environment says: the SDK's own endpoint variable and static keys. */
const reachThrough = (t: Test, endpoint: string) =>
  setEnv(t, { AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' })

/**
 * A store as one API instance makes it: its own SDK client, which reads AWS_ENDPOINT_URL_DYNAMODB when it is
 * made (at the first call).
 */
interface InstanceOptions { endpoint?: string, tableName?: string, now?: () => number, timeoutMs?: number }

function instance (t: Test, options: InstanceOptions = {}) {
  const { endpoint = dynamo.endpoint, tableName = TABLE, now = () => 1_000, timeoutMs = 1_000 } = options
  reachThrough(t, endpoint)
  const store = createDynamoDbReplayStore({ tableName, region: 'us-east-1', now, timeoutMs })
  t.after(() => store.close?.())
  return store
}

const itemOf = async (key: string) =>
  (await dynamo.admin.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } } }))).Item

t.test('two instances sharing one table refuse each other\'s keys', async t => {
  const one = instance(t)
  const two = instance(t)
  t.equal(await one.remember('jkt:shared-1', 1_310), true)
  t.equal(await two.remember('jkt:shared-1', 1_310), false, 'seen by the other instance')
  t.equal(await two.remember('jkt:shared-2', 1_310), true)
  t.equal(await one.remember('jkt:shared-2', 1_310), false)
  t.equal(await one.remember('jkt:shared-2', 1_310), false, 'and by itself')
  t.same(await itemOf('jkt:shared-1'), { pk: { S: 'jkt:shared-1' }, ttl: { N: '1310' } }, 'the item TTL deletes')
})

t.test('the same proof at the same moment on both instances: exactly one of 20 calls takes it', async t => {
  const [one, two] = [instance(t), instance(t)]
  const calls = Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).remember('jkt:race', 1_310))
  const answers = await Promise.all(calls)
  t.equal(answers.filter(Boolean).length, 1)
})

t.test('an item past its ttl that DynamoDB has not deleted yet does not count', async t => {
  const time = { now: 1_000 }
  const store = instance(t, { now: () => time.now })
  t.equal(await store.remember('jkt:lingering', 1_010), true)
  time.now = 1_010
  t.equal(await store.remember('jkt:lingering', 1_310), false, 'at its ttl second the proof is still acceptable')
  time.now = 1_011
  t.equal(await store.remember('jkt:lingering', 1_321), true, 'one second later it is gone, deleted or not')
  t.same((await itemOf('jkt:lingering'))?.ttl, { N: '1321' }, 'the new write holds the key for its new window')
  t.equal(await store.remember('jkt:lingering', 1_321), false)
})

/** Asserts that `remember` rejected as UNAVAILABLE, with what the log and Retry-After need. */
async function unavailable (t: Test, attempt: Promise<unknown>, upstream: object, retryAfterSeconds = 5) {
  const err = await attempt.then(() => undefined, (err: unknown) => err)
  t.ok(err instanceof ReplayStoreError, 'never a silent accept')
  t.match(err, { code: 'replay_store_unavailable', retryAfterSeconds, upstream })
}

t.test('the store down: nothing listening on its port', async t => {
  const closed = createServer()
  await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
  const { port } = closed.address() as { port: number }
  await new Promise(resolve => closed.close(resolve))
  await unavailable(t, instance(t, { endpoint: `http://127.0.0.1:${port}` }).remember('jkt:x', 1_310),
    { name: 'ECONNREFUSED' })
})

t.test('the store down: a server that accepts the connection and never answers', async t => {
  const sockets = new Set<Socket>()
  const silent = createServer(socket => { sockets.add(socket) })
  await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise(resolve => silent.close(resolve))
  })
  const { port } = silent.address() as { port: number }
  const store = instance(t, { endpoint: `http://127.0.0.1:${port}`, timeoutMs: 200 })
  await unavailable(t, store.remember('jkt:x', 1_310), { name: 'TimeoutError' })
})

t.test('any other error of the store: a missing table', async t => {
  await unavailable(t, instance(t, { tableName: 'no-such-table' }).remember('jkt:x', 1_310), {
    name: 'ResourceNotFoundException', httpStatus: 400, requestId: String
  })
})

t.test('throttled: the same refusal, with a shorter Retry-After', async t => {
  const throttled = Object.assign(new Error('Throughput exceeds the current capacity'), {
    name: 'ProvisionedThroughputExceededException', $metadata: { requestId: 'REQ1', httpStatusCode: 400 }
  })
  const client = { send: async () => { throw throttled } }
  const store = createDynamoDbReplayStore({ tableName: TABLE, client })
  await unavailable(t, store.remember('jkt:x', 1_310),
    { name: 'ProvisionedThroughputExceededException', requestId: 'REQ1' }, 1)
})

t.test('from config, with a table (DPOP_REPLAY_TABLE): the shared store', async t => {
  reachThrough(t, dynamo.endpoint)
  const store = createReplayStore({ tableName: TABLE, region: 'us-east-1', windowSeconds: 310, proofsPerSecond: 0 })
  t.after(() => store.close?.())
  t.equal(await store.remember('jkt:from-config', Date.now() / 1000 + 60), true)
  t.ok(await itemOf('jkt:from-config'), 'written to the table')
})
