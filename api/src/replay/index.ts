import { createDynamoDbReplayStore } from './dynamodb.js'
import { createMemoryReplayStore } from './memory.js'
import type { ReplayStore } from './store.js'

export { ReplayStoreError, type ReplayStore } from './store.js'

/**
 * The replay memory from config: the DynamoDB table all instances share when DPOP_REPLAY_TABLE names one,
 * else this process's own memory, sized to `windowSeconds × proofsPerSecond` (see memory.ts).
 */
export function createReplayStore ({ tableName, region, windowSeconds, proofsPerSecond = 300 }: {
  tableName?: string
  region?: string
  /** How long a proof stays acceptable, leeway included: the longest a key must be kept. */
  windowSeconds: number
  /** The proof rate one process must be able to take without refusing (memory only): 300/s, 93,000 keys. */
  proofsPerSecond?: number
}): ReplayStore {
  if (tableName) return createDynamoDbReplayStore({ tableName, region })
  return createMemoryReplayStore({ capacity: Math.ceil(windowSeconds * proofsPerSecond) })
}
