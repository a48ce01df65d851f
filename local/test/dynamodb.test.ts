import {
  ConditionalCheckFailedException, DescribeTableCommand, DynamoDBClient, PutItemCommand
} from '@aws-sdk/client-dynamodb'
import t from 'tap'
import { startDynamoDb } from '../src/dynamodb.js'
import { freePort, portProblem } from '../src/process.js'

const TABLE = 'dpop-replay'

t.test('dynalite on 127.0.0.1 with the replay table as template.yaml makes it; closing frees the port', async t => {
  const port = await freePort()
  const dynamo = await startDynamoDb({ port, tableName: TABLE })
  t.equal(dynamo.endpoint, `http://127.0.0.1:${port}`)
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }
  })
  t.teardown(() => client.destroy())
  const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }))
  t.match(Table, {
    TableStatus: 'ACTIVE',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }
  })
  // The API's write: the first one lands, the same key again fails its condition.
  const put = () => client.send(new PutItemCommand({
    TableName: TABLE,
    Item: { pk: { S: 'jkt:jti' }, ttl: { N: '2000000000' } },
    ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':now': { N: '1000000000' } }
  }))
  await put()
  await t.rejects(put(), ConditionalCheckFailedException)
  await dynamo.close()
  t.equal(await portProblem(port), null)
})

t.test('a port already taken is an error at start, not a stand-in that is not there', async t => {
  const port = await freePort()
  const first = await startDynamoDb({ port, tableName: TABLE })
  t.teardown(first.close)
  await t.rejects(startDynamoDb({ port, tableName: TABLE }), { code: 'EADDRINUSE' })
})
