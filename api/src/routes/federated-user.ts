import type { Static } from 'typebox'
import type { FederatedUserSchema } from '../schemas/index.js'
import type { FederatedUser } from '../services/cognito-service.js'

/** A federated Cognito user as the API shows it: `/me`'s `federated_user` and `/users/:sub`. */
export function federatedUserJson (user: FederatedUser): Static<typeof FederatedUserSchema> {
  return {
    username: user.Username ?? '',
    status: user.UserStatus ?? null,
    enabled: user.Enabled ?? null,
    created_at: user.UserCreateDate?.toISOString() ?? null,
    updated_at: user.UserLastModifiedDate?.toISOString() ?? null,
    attributes: Object.fromEntries((user.UserAttributes ?? []).flatMap(({ Name, Value }) =>
      Name && Value !== undefined ? [[Name, Value]] : []))
  }
}
