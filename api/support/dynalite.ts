/**
 * A real DynamoDB implementation (dynalite, in memory) on 127.0.0.1 with the replay table as template.yaml
 * creates it (partition key `pk`, String; on-demand). In support/: the tests and the benchmark (bench/replay.ts)
 * both use it. local/src/dynamodb.ts starts the same for `npm start`; workspaces never import each other.
 */
import type { AddressInfo } from 'node:net'
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import dynalite from 'dynalite'

export const TABLE = 'dpop-replay'

export async function startDynalite () {
  const server = dynalite({ createTableMs: 0 })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' }
  const admin = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials })
  await admin.send(new CreateTableCommand({
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST'
  }))
  // CREATING for a moment even with createTableMs 0 (a timer in dynalite), and writes fail until ACTIVE.
  while ((await admin.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise(resolve => setTimeout(resolve, 5))
  }
  return {
    endpoint,
    /** A client of its own, for the tests to look at the table directly. */
    admin,
    close: () => new Promise<void>((resolve, reject) => {
      admin.destroy()
      server.close((err?: Error) => err ? reject(err) : resolve())
      server.closeAllConnections()
    })
  }
}
