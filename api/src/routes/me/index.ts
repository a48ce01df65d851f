import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider'
import type { FastifyInstance } from 'fastify'
import type { Static } from 'typebox'
import { ErrorSchema, MeSchema, type UserPoolSchema } from '../../schemas/index.js'
import { federatedUserJson } from '../federated-user.js'
import type { RouteOptions } from '../index.js'

/** `/me`: who the token says the caller is, and what Cognito knows of them. For people only. */
export default async function meRoutes (fastify: FastifyInstance, { config }: RouteOptions) {
  const emailClaim = config.AUTH0_EMAIL_CLAIM
  fastify.get('/me', {
    config: { auth: true },
    schema: { response: { 200: MeSchema, '4xx': ErrorSchema, '5xx': ErrorSchema } }
  }, async (request): Promise<Static<typeof MeSchema>> => {
    const { sub, [emailClaim]: claimedEmail } = request.user!
    const email = typeof claimedEmail === 'string' ? claimedEmail : null
    const [pool, user] = await Promise.all([fastify.cognito.describePool(), fastify.cognito.findFederatedUser(sub)])
    return {
      message: `Hello, ${email ?? sub}, Cognito call OK`,
      auth0_user: { sub, email },
      cognito_result: { user_pool: userPoolJson(pool), federated_user: user && federatedUserJson(user) }
    }
  })
}

function userPoolJson (pool: UserPoolType): Static<typeof UserPoolSchema> {
  return {
    id: pool.Id ?? '',
    name: pool.Name ?? null,
    arn: pool.Arn ?? null,
    estimated_users: pool.EstimatedNumberOfUsers ?? null
  }
}
