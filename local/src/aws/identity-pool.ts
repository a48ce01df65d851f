/**
 * A Cognito identity pool on 127.0.0.1, speaking its wire protocol (JSON 1.1: POST /, X-Amz-Target
 * AWSCognitoIdentityService.<Operation>), so the AWS SDK and the SPA reach it by endpoint URL alone. Two
 * operations of the enhanced flow: GetId (a stable `<region>:<uuid>` per issuer and sub) and
 * GetCredentialsForIdentity (the role template.yaml's rules choose, as temporary credentials it remembers for
 * the IAM gateway). LocalStack's identity pools are paid, moto ignores the token, cognito-local has none.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLoginTokenVerifier, NotAuthorized } from './login-token.js'
import { matchRole, type RoleRule } from './template.js'

/** Credentials the pool handed out: what the IAM gateway checks a signature against and reports as the caller. */
export interface IssuedCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  expiration: Date
  identityId: string
  identityPoolId: string
  /** The session API Gateway reports: arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials */
  userArn: string
  amr: string[]
}

export interface IdentityPoolOptions {
  port?: number
  host?: string
  identityPoolId: string
  /** The Logins key of the pool's one OIDC provider (the Auth0 domain without scheme). */
  loginKey: string
  clientIds: string[]
  rules: RoleRule[]
  accountId?: string
  now?: () => Date
}

const CREDENTIALS_SECONDS = 3600
/** Cognito's status for each error the stand-in answers (the SDK's model: httpError). */
const STATUS = {
  NotAuthorizedException: 403,
  ResourceNotFoundException: 404,
  InvalidParameterException: 400
} as const
type Fault = keyof typeof STATUS

class CognitoError extends Error {
  constructor (readonly type: Fault, message: string) { super(message) }
}

export async function startIdentityPool (options: IdentityPoolOptions) {
  const { identityPoolId, loginKey, rules, accountId = '000000000000', now = () => new Date() } = options
  const region = identityPoolId.split(':')[0]!
  const verify = createLoginTokenVerifier({ loginKey, clientIds: options.clientIds, now })
  /** identity id by `<iss> <sub>`, and the owner of each id. */
  const identities = new Map<string, string>()
  const owners = new Map<string, string>()
  const credentials = new Map<string, IssuedCredentials>()

  /** The one login of a request, checked: its key and the token's claims. */
  async function login (body: Record<string, unknown>) {
    if (body.IdentityPoolId !== undefined && body.IdentityPoolId !== identityPoolId) {
      throw new CognitoError('ResourceNotFoundException', `IdentityPool '${String(body.IdentityPoolId)}' not found.`)
    }
    const logins = Object.entries(typeof body.Logins === 'object' && body.Logins !== null ? body.Logins : {})
    if (logins.length === 0) {
      const message = 'Unauthenticated access is not supported for this identity pool.'
      throw new CognitoError('NotAuthorizedException', message)
    }
    if (logins.length > 1) throw new CognitoError('InvalidParameterException', 'The pool has one login provider.')
    const [key, token] = logins[0]!
    try {
      return { key, claims: await verify(key, String(token)) }
    } catch (err) {
      if (err instanceof NotAuthorized) throw new CognitoError('NotAuthorizedException', err.message)
      throw err
    }
  }

  const operations: Record<string, (body: Record<string, unknown>) => Promise<object>> = {
    async GetId (body) {
      if (typeof body.IdentityPoolId !== 'string') throw new CognitoError('InvalidParameterException', 'IdentityPoolId')
      const { claims } = await login(body)
      const owner = `${claims.iss} ${claims.sub}`
      let identityId = identities.get(owner)
      if (!identityId) {
        identityId = `${region}:${randomUUID()}`
        identities.set(owner, identityId)
        owners.set(identityId, owner)
      }
      return { IdentityId: identityId }
    },
    async GetCredentialsForIdentity (body) {
      const identityId = String(body.IdentityId ?? '')
      const owner = owners.get(identityId)
      if (!owner) throw new CognitoError('ResourceNotFoundException', `Identity '${identityId}' not found.`)
      const { key, claims } = await login(body)
      if (owner !== `${claims.iss} ${claims.sub}`) {
        throw new CognitoError('NotAuthorizedException', 'Invalid login token. Not a valid login for this identity.')
      }
      const role = matchRole(rules, claims)
      if (!role) {
        const message = `The ambiguous role mapping rules for: ${key} denied this request.`
        throw new CognitoError('NotAuthorizedException', message)
      }
      const issued: IssuedCredentials = {
        accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
        expiration: new Date(now().getTime() + CREDENTIALS_SECONDS * 1000),
        identityId,
        identityPoolId,
        userArn: `arn:aws:sts::${accountId}:assumed-role/${role}/CognitoIdentityCredentials`,
        amr: ['authenticated', key, `${key}:${claims.sub}`]
      }
      credentials.set(issued.accessKeyId, issued)
      const { accessKeyId, secretAccessKey, sessionToken, expiration } = issued
      return {
        IdentityId: identityId,
        // Epoch seconds, a JSON number, as Cognito sends it.
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretKey: secretAccessKey,
          SessionToken: sessionToken,
          Expiration: expiration.getTime() / 1000
        }
      }
    }
  }

  async function handle (req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() })
      res.end(JSON.stringify(body))
    }
    try {
      const target = String(req.headers['x-amz-target'] ?? '')
      const operation = target.startsWith('AWSCognitoIdentityService.') && operations[target.slice(26)]
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      if (req.method !== 'POST' || !operation) {
        return send(400, { __type: 'UnknownOperationException', message: `Unknown operation ${target}` })
      }
      let body: Record<string, unknown>
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
      } catch {
        return send(400, { __type: 'SerializationException', message: 'Malformed JSON' })
      }
      send(200, await operation(body))
    } catch (err) {
      if (err instanceof CognitoError) return send(STATUS[err.type], { __type: err.type, message: err.message })
      send(500, { __type: 'InternalErrorException', message: 'Internal error' })
    }
  }

  // A browser calls it from the SPA's origin: Cognito answers CORS for any origin.
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? ''),
        'access-control-max-age': '600'
      })
      return res.end()
    }
    handle(req, res).catch(() => res.destroy())
  })
  await new Promise<void>(resolve => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    /** The credentials behind an access key id, while the pool remembers them. */
    credentials: (accessKeyId: string) => credentials.get(accessKeyId),
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
