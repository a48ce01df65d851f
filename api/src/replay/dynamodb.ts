import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { REPLAY_ERRORS, ReplayStoreError, unixSeconds, type ReplayStore } from './store.js'

/**
 * The SDK is loaded by the first proof, not when the app is built, so that a cold start (/health included)
 * does not pay for it; the same reasoning as the Cognito SDK's (services/cognito-service.ts).
 */
const loadSdk = () => importCommonJs(import('@aws-sdk/client-dynamodb'))

/**
 * A CommonJS package's exports from a dynamic import. Node gives them by name and as `default`; esbuild's chunk
 * for such a package (the Lambda bundle) gives only `default`.
 */
async function importCommonJs<T extends object> (module: Promise<T>): Promise<T> {
  const namespace = await module
  return (namespace as { default?: T }).default ?? namespace
}

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
  let client: Promise<DynamoDBClient> | undefined
  const send = async (command: Parameters<DynamoDbClient['send']>[0]) => {
    client ??= connect(region, timeoutMs)
    return (await client).send(command)
  }
  return {
    send: send as DynamoDbClient['send'],
    destroy: () => { client?.then(sdkClient => sdkClient.destroy(), () => {}) }
  }
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
      const { name = 'Error', code, $metadata } = err as {
        name?: string, code?: string, $metadata?: { requestId?: string, httpStatusCode?: number }
      }
      if (name === 'ConditionalCheckFailedException') return false
      // Network failures (ECONNREFUSED, ECONNRESET) arrive as plain errors with a code, not as service exceptions.
      const upstream = {
        name: name === 'Error' && code ? code : name,
        requestId: $metadata?.requestId,
        httpStatus: $metadata?.httpStatusCode
      }
      const wait = THROTTLING.has(upstream.name) ? RETRY_AFTER_SECONDS.throttled : RETRY_AFTER_SECONDS.failed
      throw new ReplayStoreError(REPLAY_ERRORS.UNAVAILABLE, wait, upstream)
    }
  }

  return { remember, close: async () => own?.destroy() }
}
