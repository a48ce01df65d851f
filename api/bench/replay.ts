/**
 * `tsx bench/replay.ts`: what the DPoP replay memory adds to a request, per proof: this process's memory, and
 * the shared DynamoDB store against dynalite (in memory, in this process) on 127.0.0.1, one call at a time as
 * a Lambda instance makes them, then CONCURRENCY at once as a server under load does. Against real DynamoDB,
 * add the network to the region's endpoint. Prints numbers; asserts nothing.
 */
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createDynamoDbReplayStore } from '../src/replay/dynamodb.js'
import { createMemoryReplayStore } from '../src/replay/memory.js'
import type { ReplayStore } from '../src/replay/store.js'
import { startDynalite, TABLE } from '../support/dynalite.js'

const CALLS = Number(process.env.BENCH_CALLS || 2_000)
const CONCURRENCY = 16

/** A key as the verifier makes one: the proof key's thumbprint and the proof's jti. */
const key = () => `${randomUUID()}${randomUUID()}`.slice(0, 43) + ':' + randomUUID()
const expiry = () => Date.now() / 1000 + 310

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

/** Milliseconds per call, `concurrency` callers at once, each call a new key (so a write, as for a fresh proof). */
async function measure (store: ReplayStore, calls: number, concurrency: number) {
  const times: number[] = []
  const caller = async () => {
    while (times.length < calls) {
      const start = process.hrtime.bigint()
      if (!await store.remember(key(), expiry())) throw new Error('a new key was taken for a replay')
      times.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller))
  return times.sort((a, b) => a - b)
}

function report (name: string, times: number[]) {
  const ms = (value: number) => value.toFixed(3).padStart(7)
  console.log(`  ${name.padEnd(44)} median ${ms(percentile(times, 0.5))} ms   p95 ${ms(percentile(times, 0.95))} ms` +
    `   p99 ${ms(percentile(times, 0.99))} ms`)
}

/** A process that imports the SDK next to one that does not (best of 5; this process has it loaded already). */
function sdkLoadMs () {
  const run = (code: string) => {
    const start = process.hrtime.bigint()
    spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: import.meta.dirname, stdio: 'ignore' })
    return Number(process.hrtime.bigint() - start) / 1e6
  }
  const best = (code: string) => Math.min(...Array.from({ length: 5 }, () => run(code)))
  return (best("await import('@aws-sdk/client-dynamodb')") - best('')).toFixed(0)
}

const dynamo = await startDynalite()
Object.assign(process.env, {
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench'
})
const shared = createDynamoDbReplayStore({ tableName: TABLE, region: 'us-east-1' })
const memory = createMemoryReplayStore({ capacity: 4 * CALLS })

console.log(`DPoP replay memory, per proof (${CALLS} calls each, new keys)`)
console.log(`  loading @aws-sdk/client-dynamodb, paid by the first proof, not the cold start: ${sdkLoadMs()} ms`)
await measure(shared, 200, 1) // warm up: JIT, keep-alive socket
report('in-process memory, 1 at a time', await measure(memory, CALLS, 1))
report('DynamoDB (dynalite, loopback), 1 at a time', await measure(shared, CALLS, 1))
report(`DynamoDB (dynalite, loopback), ${CONCURRENCY} at once`, await measure(shared, CALLS, CONCURRENCY))
const replayed = key()
await shared.remember(replayed, expiry())
const replay = { remember: async () => !await shared.remember(replayed, expiry()) }
report('DynamoDB, a replay (its condition fails)', await measure(replay, CALLS, 1))

await shared.close?.()
await dynamo.close()
