import type { FastifyRequest } from 'fastify'
import { ApiError } from '../errors.js'

/** Who API Gateway's IAM authorization says signed the request: the one shape of `GET /aws/whoami`. */
export interface AwsCaller {
  identity_id: string | null
  identity_pool_id: string | null
  /** The assumed role's session, e.g. `arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials`. */
  user_arn: string
  /** The login behind a Cognito identity: `<provider>,<provider>:<sub>` in REST API's words, or null. */
  authentication_provider: string | null
  amr: string[]
}

type Json = Record<string, unknown> | undefined
const text = (value: unknown) => typeof value === 'string' && value !== '' ? value : null
const object = (value: unknown): Json => typeof value === 'object' && value !== null ? value as Json : undefined

/** HTTP API (payload 2.0): `requestContext.authorizer.iam`, with `cognitoIdentity` for identity-pool callers. */
function fromHttpApi (iam: Json): AwsCaller | null {
  const userArn = text(iam?.userArn)
  if (!userArn) return null
  const identity = object(iam?.cognitoIdentity)
  const amr = Array.isArray(identity?.amr) ? identity.amr.filter(entry => typeof entry === 'string') : []
  const logins = amr.filter(entry => entry !== 'authenticated' && entry !== 'unauthenticated')
  return {
    identity_id: text(identity?.identityId),
    identity_pool_id: text(identity?.identityPoolId),
    user_arn: userArn,
    authentication_provider: logins.length ? logins.join(',') : null,
    amr
  }
}

/** REST API (payload 1.0): `requestContext.identity`, the same facts under other names. */
function fromRestApi (identity: Json): AwsCaller | null {
  const userArn = text(identity?.userArn)
  if (!userArn) return null
  const provider = text(identity?.cognitoAuthenticationProvider)
  const type = text(identity?.cognitoAuthenticationType)
  return {
    identity_id: text(identity?.cognitoIdentityId),
    identity_pool_id: text(identity?.cognitoIdentityPoolId),
    user_arn: userArn,
    authentication_provider: provider,
    amr: [...(type ? [type] : []), ...(provider ? provider.split(',') : [])]
  }
}

/**
 * The caller, read only from the Lambda event @fastify/aws-lambda keeps for this invocation (never from the
 * request's headers or query, which a client writes). Outside Lambda (the HTTP server) there is no event and so
 * no caller: nothing there has verified a SigV4 signature.
 */
export function awsCallerOf (request: FastifyRequest): AwsCaller | null {
  const event = object((request as { awsLambda?: { event?: unknown } }).awsLambda?.event)
  const context = object(event?.requestContext)
  if (!context) return null
  return event?.version === '2.0'
    ? fromHttpApi(object(object(context.authorizer)?.iam))
    : fromRestApi(object(context.identity))
}

/** For routes with `config: { auth: 'aws_iam' }`: the caller, or 403 `aws_iam_required`. */
export function requireAwsCaller (request: FastifyRequest): AwsCaller {
  const caller = awsCallerOf(request)
  if (!caller) throw new ApiError('aws_iam_required', { reason: 'no IAM authorizer context in the event' })
  return caller
}
