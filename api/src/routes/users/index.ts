import type { FastifyInstance } from 'fastify'
import type { Static } from 'typebox'
import { ApiError } from '../../errors.js'
import { ErrorSchema, FederatedUserSchema } from '../../schemas/index.js'
import { federatedUserJson } from '../federated-user.js'

/**
 * An Auth0 user id as Cognito can hold it: `<connection>|<id>` and the like (letters, digits, `|_.@:+-`), at most
 * 128 characters (Cognito's username limit, which `<provider>_<sub>` must fit). Checked before Cognito is asked.
 */
const SUB = /^[\w|.@:+-]{1,128}$/
const BAD_SUB = 'sub must be an Auth0 user id: 1 to 128 of A-Z a-z 0-9 | _ . @ : + -'

/**
 * `/users/:sub`: another user's federated Cognito profile, shaped as `/me`'s `federated_user`; 404 when Cognito
 * has none. Needs the `read:users` permission.
 */
export default async function usersRoutes (fastify: FastifyInstance) {
  fastify.get<{ Params: { sub: string } }>('/users/:sub', {
    config: { auth: { permissions: ['read:users'] } },
    schema: { response: { 200: FederatedUserSchema, '4xx': ErrorSchema, '5xx': ErrorSchema } }
  }, async (request): Promise<Static<typeof FederatedUserSchema>> => {
    const { sub } = request.params
    if (!SUB.test(sub)) throw new ApiError('bad_request', { message: BAD_SUB })
    const user = await fastify.cognito.findFederatedUser(sub)
    if (!user) throw new ApiError('not_found', { message: 'Cognito has no federated profile for this user' })
    return federatedUserJson(user)
  })
}
