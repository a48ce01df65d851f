/**
 * The AWS side of the identity-pool path on loopback: the identity pool stand-in and the IAM gateway in front
 * of the API's Lambda handler, configured from the same variables as the rest (localEnv in stack.ts): the pool id
 * and both URLs are the SPA's VITE_ values, the Logins key is AUTH0_DOMAIN without its scheme.
 */
import { ROOT } from '../build.js'
import { startIamGateway, type LambdaHandler } from './iam-gateway.js'
import { startIdentityPool } from './identity-pool.js'
import { readIamRoutes, readRoleRules } from './template.js'

/** The stack name the stand-in gives the template's roles: `local-reader`, `local-user`. */
export const STACK_NAME = 'local'
const TEMPLATE = `${ROOT}template.yaml`

const portOf = (url: string) => Number(new URL(url).port)

export async function startAwsStandIns (env: NodeJS.ProcessEnv, handler: LambdaHandler, host?: string) {
  const setting = (name: string) => {
    if (!env[name]) throw new Error(`The AWS stand-ins need ${name}`)
    return env[name]
  }
  const clientId = setting('AUTH0_CLIENT_ID')
  const rules = readRoleRules(TEMPLATE, {
    'AWS::StackName': STACK_NAME,
    IdentityPoolPermissionsClaim: setting('AUTH0_PERMISSIONS_CLAIM'),
    Auth0SpaClientId: clientId
  })
  const pool = await startIdentityPool({
    port: portOf(setting('VITE_COGNITO_IDENTITY_ENDPOINT')),
    host,
    identityPoolId: setting('VITE_COGNITO_IDENTITY_POOL_ID'),
    loginKey: setting('AUTH0_DOMAIN').replace(/^https?:\/\//, '').replace(/\/$/, ''),
    clientIds: [clientId],
    rules
  })
  try {
    const gateway = await startIamGateway({
      port: portOf(setting('VITE_AWS_API_BASE_URL')),
      host,
      region: setting('VITE_COGNITO_IDENTITY_POOL_ID').split(':')[0]!,
      routes: readIamRoutes(TEMPLATE),
      handler,
      credentials: pool.credentials
    })
    return { pool, gateway, close: async () => { await gateway.close(); await pool.close() } }
  } catch (err) {
    await pool.close()
    throw err
  }
}
