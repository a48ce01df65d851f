import { Type, type Static, type TSchema } from 'typebox'

/**
 * `T` or null as a type list (`type: ['string', 'null']`), not anyOf: fast-json-stringify writes a type list
 * by itself, while every anyOf makes it build an ajv validator when the app starts (each Lambda cold start)
 * and run it on every answer.
 */
const Nullable = <T extends TSchema & { type: string }>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] })

export const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String() })

export const HealthSchema = Type.Object({ status: Type.Literal('ok') })

export const UserPoolSchema = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  arn: Nullable(Type.String()),
  estimated_users: Nullable(Type.Integer())
})

export const FederatedUserSchema = Type.Object({
  username: Type.String(),
  status: Nullable(Type.String()),
  enabled: Nullable(Type.Boolean()),
  created_at: Nullable(Type.String()),
  updated_at: Nullable(Type.String()),
  attributes: Type.Record(Type.String(), Type.String())
})

export const MeSchema = Type.Object({
  message: Type.String(),
  auth0_user: Type.Object({ sub: Type.String(), email: Nullable(Type.String()) }),
  cognito_result: Type.Object({ user_pool: UserPoolSchema, federated_user: Nullable(FederatedUserSchema) })
})

/** `GET /aws/whoami`: the IAM caller as API Gateway's authorizer context names it (auth/aws-iam.ts). */
export const AwsWhoamiSchema = Type.Object({
  identity_id: Nullable(Type.String()),
  identity_pool_id: Nullable(Type.String()),
  user_arn: Type.String(),
  authentication_provider: Nullable(Type.String()),
  amr: Type.Array(Type.String())
})
