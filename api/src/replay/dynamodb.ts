import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { importCommonJs, lazyClient, upstreamOf } from '../aws-sdk.js'
import { ReplayStoreError, unixSeconds, type ReplayStore } from './store.js'

/** The SDK, loaded by the first proof, not when the app is built: see aws-sdk.ts. */
const loadSdk = () => importCommonJs(import('@aws-sdk/client-dynamodb'))

export type DynamoDbClient = Pick<DynamoDBClient, 'send'>

/** Over capacity for a moment: worth a retry in a second. Anything else is an outage: a few seconds. */
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'])
const RETRY_AFTER_SECONDS = { throttled: 1, failed: 5 }

/**
 * One SDK client per process, made by its first `send`. Credentials, and the endpoint of a local stand-in
 * (AWS_ENDPOINT_URL_DYNAMODB), come from the SDK's own chain. `timeoutMs` bounds each call as a whole: a store
 * that never answers costs a request that long, never a hang.
 */
export function createDynamoDbClient ({ region, timeoutMs = 1_000 }: { region?: string, timeoutMs?: number }) {
  return lazyClient(() => connect(region, timeoutMs))
}

async function connect (region: string | undefined, timeoutMs: number) {
  const { DynamoDBClient } = await loadSdk()
  return new DynamoDBClient({
    region,
    // One attempt: a retried conditional write whose first attempt had landed would find its own item and
    // take the proof for a replay. A failed attempt is a 503; the client retries with a fresh proof.
    maxAttempts: 1,
    // The SDK's own NodeHttpHandler, from its options (NodeHttpHandler.create): its agents keep connections
    // alive (up to 50 sockets), so a proof costs the write, not a TLS handshake.
    requestHandler: {
      connectionTimeout: timeoutMs,
      // A timer over the whole request, connecting included; without the flag the SDK only logs and waits on.
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true
    }
  })
}

interface DynamoDbStoreOptions {
  /** DPOP_REPLAY_TABLE: partition key `pk` (String), TTL on the attribute `ttl` (template.yaml). */
  tableName: string
  /** A client to use instead of the store's own (which `close` destroys; a given one is the caller's). */
  client?: DynamoDbClient
  region?: string
  timeoutMs?: number
  /** Unix time in seconds (tests inject their own clock). */
  now?: () => number
}

/**
 * The replay memory every instance shares: one conditional PutItem per proof. The first writer of a key
 * wins; any other instance's write of it fails its condition (ConditionalCheckFailedException): a replay.
 * Any other failure is a ReplayStoreError UNAVAILABLE, never a silent accept.
 */
export function createDynamoDbReplayStore (options: DynamoDbStoreOptions): ReplayStore {
  const { tableName, client, region, timeoutMs, now = unixSeconds } = options
  const own = client ? undefined : createDynamoDbClient({ region, timeoutMs })
  const dynamo = client ?? own!

  async function remember (key: string, expiresAtSeconds: number): Promise<boolean> {
    try {
      const { PutItemCommand } = await loadSdk()
      await dynamo.send(new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: key }, ttl: { N: String(Math.ceil(expiresAtSeconds)) } },
        // DynamoDB deletes expired items lazily (within days): an item whose ttl has passed counts as absent.
        // `ttl` is a reserved word in expressions, hence the name placeholder.
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':now': { N: String(Math.floor(now())) } }
      }))
      return true
    } catch (err) {
      const upstream = upstreamOf(err)
      if (upstream.name === 'ConditionalCheckFailedException') return false
      const wait = THROTTLING.has(upstream.name) ? RETRY_AFTER_SECONDS.throttled : RETRY_AFTER_SECONDS.failed
      throw new ReplayStoreError('replay_store_unavailable', wait, upstream)
    }
  }

  return { remember, close: async () => own?.destroy() }
}
