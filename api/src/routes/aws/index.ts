import type { FastifyInstance } from 'fastify'
import type { Static } from 'typebox'
import { AwsWhoamiSchema, ErrorSchema } from '../../schemas/index.js'

/**
 * `/aws/whoami`: who AWS says the caller is. Signed with the credentials the Cognito identity pool gave the SPA
 * (SigV4) and verified by API Gateway's IAM authorization, which puts the caller in the Lambda event; the role
 * the pool's rules chose is the assumed role in `user_arn`. No Auth0 token here: `auth: 'aws_iam'`.
 */
export default async function awsRoutes (fastify: FastifyInstance) {
  fastify.get('/aws/whoami', {
    config: { auth: 'aws_iam' },
    schema: { response: { 200: AwsWhoamiSchema, '4xx': ErrorSchema, '5xx': ErrorSchema } }
  }, async (request): Promise<Static<typeof AwsWhoamiSchema>> => request.awsCaller!)
}
