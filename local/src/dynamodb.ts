/**
 * The DynamoDB stand-in: dynalite, a real implementation of DynamoDB's JSON API (npm, in memory here), holding
 * the DPoP replay table as template.yaml creates it: partition key `pk` (String), on-demand. The API reaches it
 * only through the SDK's own AWS_ENDPOINT_URL_DYNAMODB, so every API process on the machine shares one table,
 * as every Lambda instance shares the real one.
 *
 * dynalite has no UpdateTimeToLive (DescribeTimeToLive always answers DISABLED), so TTL is not switched on
 * and expired items are never deleted here. That changes nothing the API can see: it takes an item past its
 * `ttl` for absent, as it must with DynamoDB, whose TTL deletion lags by up to days. Only memory grows, by
 * about 1 KB per proof while the stand-in runs (measured: heap and buffers, 20,000 items).
 */
import type { Server } from 'node:http'
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import dynalite from 'dynalite'

interface DynamoDbOptions {
  port: number
  /** 127.0.0.1 by default; 0.0.0.0 inside a container. */
  host?: string
  /** DPOP_REPLAY_TABLE. */
  tableName: string
}

export async function startDynamoDb ({ port, host = '127.0.0.1', tableName }: DynamoDbOptions) {
  // createTableMs 0: the table is ACTIVE at once (dynalite's default plays DynamoDB's half-second CREATING).
  const server = dynalite({ createTableMs: 0 })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => { server.off('error', reject); resolve() })
  })
  const endpoint = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  // dynalite checks that requests are signed, not by whom: any keys do.
  const client = new DynamoDBClient({
    endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }
  })
  const close = async () => {
    client.destroy()
    await stop(server)
  }
  try {
    await createTable(client, tableName)
  } catch (err) {
    await close()
    throw err
  }
  return { endpoint, tableName, close }
}

async function createTable (client: DynamoDBClient, tableName: string) {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST'
  }))
  // Even at 0 ms, CREATING ends on a timer of dynalite's: writes fail until then.
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    if (Table?.TableStatus === 'ACTIVE') return
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  throw new Error(`dynalite: table ${tableName} did not become ACTIVE`)
}

/** Stops listening and drops idle keep-alive connections (an API process may hold some). */
function stop (server: Server) {
  return new Promise<void>((resolve, reject) => {
    server.close((err?: Error) => err ? reject(err) : resolve())
    server.closeIdleConnections()
  })
}
