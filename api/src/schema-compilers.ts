/**
 * Fastify's schema compilers made from TypeBox's Value (already loaded to check the config), instead of ajv and
 * fast-json-stringify: Fastify would load both and compile every response schema at each Lambda cold start
 * (~24 ms of CPU and ~290 KB of the bundle, measured by `npm run bench:cold`). template.yaml leaves Fastify's own
 * compiler packages out of the bundle: with these given, Fastify never requires them.
 * @see https://fastify.dev/docs/latest/Reference/Server/#schemacontroller
 */
import type {
  FastifySchemaCompiler, FastifySchemaValidationError, FastifySerializerCompiler, FastifyServerOptions
} from 'fastify'
import type { TSchema } from 'typebox'
import { Check, Clean, Clone, Convert, Default, Errors } from 'typebox/value'

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

// As Fastify's ajv does: defaults filled, text converted where requests carry only text (query, params, headers).
// A failure leaves ajv-shaped errors on the function, which Fastify words into its 400 as it does ajv's.
const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validate = Object.assign((data: unknown) => {
    const value = Default(schema, httpPart === 'body' ? data : Convert(schema, data))
    if (Check(schema, value)) return { value }
    validate.errors = [...Errors(schema, value)] as FastifySchemaValidationError[]
    return false
  }, { errors: [] as FastifySchemaValidationError[] })
  return validate
}

// As fast-json-stringify does, an answer carries only what its schema names.
const serializerCompiler: FastifySerializerCompiler<TSchema> = ({ schema }) =>
  data => JSON.stringify(Clean(schema, Clone(data)))

// Fastify types these factories after its own ajv compiler; what it calls is the compiler they return.
export const schemaCompilers = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler
} as unknown as CompilersFactory
