import { Type } from 'typebox'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

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
