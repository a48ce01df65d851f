import type { FastifyInstance } from 'fastify'
import { ErrorSchema, MeSchema } from '../../schemas/index.js'

/** `/me`: who the token says the caller is, and what Cognito knows of them. Needs `requireAuth` on its scope. */
export default async function meRoutes (fastify: FastifyInstance, { emailClaim }: { emailClaim: string }) {
  fastify.get('/me', {
    schema: { response: { 200: MeSchema, 401: ErrorSchema, 502: ErrorSchema, 503: ErrorSchema } }
  }, async request => {
    const { sub, [emailClaim]: claimedEmail } = request.user!
    const email = typeof claimedEmail === 'string' ? claimedEmail : null
    const cognitoResult = await fastify.cognito.summary(sub)
    return {
      message: `Hello, ${email ?? sub}, Cognito call OK`,
      auth0_user: { sub, email },
      cognito_result: cognitoResult
    }
  })
}
