/**
 * Runs one stand-in on its own: `npm run idp|cognito|dynamodb --workspace local`.
 * docker compose runs exactly these commands. Settings come from the same variables the app reads
 * (AUTH0_DOMAIN, AUTH0_CLIENT_ID, COGNITO_USER_POOL_ID, ...), defaulting to the local ones;
 * HOST picks the interface (127.0.0.1 by default; 0.0.0.0 inside a container).
 */
import { startCognito } from './cognito.js'
import { startDynamoDb } from './dynamodb.js'
import { startIdp } from './idp.js'
import { DEFAULT_PORTS, localEnv } from './stack.js'

const defaults = localEnv(DEFAULT_PORTS)
const setting = (key: string) => process.env[key] || defaults[key]!
const host = process.env.HOST || '127.0.0.1'
const which = process.argv[2]

let close: () => Promise<void>
if (which === 'idp') {
  const origin = setting('AUTH0_DOMAIN')
  const idp = await startIdp({
    origin,
    port: Number(new URL(origin).port || 80),
    host,
    clientId: setting('AUTH0_CLIENT_ID'),
    appOrigin: setting('FRONTEND_ORIGIN'),
    audience: setting('AUTH0_AUDIENCE'),
    emailClaim: setting('AUTH0_EMAIL_CLAIM')
  })
  console.log(`Local Auth0 stand-in: issuer ${idp.issuer}, listening on ${host}:${idp.port}`)
  close = idp.close
} else if (which === 'cognito') {
  const cognito = await startCognito({
    port: DEFAULT_PORTS.cognito,
    host,
    region: setting('AWS_REGION'),
    userPoolId: setting('COGNITO_USER_POOL_ID'),
    providerName: setting('COGNITO_AUTH0_PROVIDER_NAME')
  })
  console.log(`Local Cognito (cognito-local): pool ${setting('COGNITO_USER_POOL_ID')} at ${cognito.endpoint}`)
  close = cognito.close
} else if (which === 'dynamodb') {
  const dynamodb = await startDynamoDb({ port: DEFAULT_PORTS.dynamodb, host, tableName: setting('DPOP_REPLAY_TABLE') })
  console.log(`Local DynamoDB (dynalite): table ${dynamodb.tableName} at ${dynamodb.endpoint}`)
  close = dynamodb.close
} else {
  console.error('usage: serve.ts idp|cognito|dynamodb')
  process.exit(2)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { close().then(() => process.exit(0)) })
