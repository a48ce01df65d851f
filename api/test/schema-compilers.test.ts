import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { Type } from 'typebox'
import { schemaCompilers } from '../src/schema-compilers.js'

async function app (t: Test) {
  const fastify = Fastify({ schemaController: { compilersFactory: schemaCompilers } })
  t.after(() => fastify.close())
  const Thing = Type.Object({ name: Type.String({ minLength: 1 }) })
  fastify.post('/things', { schema: { body: Thing } }, async request => request.body)
  fastify.get('/items', {
    schema: { querystring: Type.Object({ limit: Type.Integer({ minimum: 1, default: 10 }) }) }
  }, async request => request.query)
  fastify.get('/health', {
    schema: { response: { 200: Type.Object({ status: Type.String() }) } }
  }, async () => ({ status: 'ok', secret: 'not in the schema' }))
  return fastify
}

t.test('a request body is checked, and a failure worded by Fastify as it words ajv\'s (400, the field named)',
  async t => {
    const fastify = await app(t)
    t.same((await fastify.inject({ method: 'POST', url: '/things', payload: { name: 'x' } })).json(), { name: 'x' })
    const invalid = await fastify.inject({ method: 'POST', url: '/things', payload: { wrong: 1 } })
    t.equal(invalid.statusCode, 400)
    t.match(invalid.json(), { code: 'FST_ERR_VALIDATION', message: /^body .*name/ })
    const empty = await fastify.inject({ method: 'POST', url: '/things', payload: { name: '' } })
    t.match(empty.json(), { statusCode: 400, message: /^body\/name / })
  })

t.test('a query string is converted from text and given its defaults, as Fastify\'s ajv does', async t => {
  const fastify = await app(t)
  t.same((await fastify.inject('/items?limit=5')).json(), { limit: 5 })
  t.same((await fastify.inject('/items')).json(), { limit: 10 })
  t.equal((await fastify.inject('/items?limit=none')).statusCode, 400)
})

t.test('an answer carries only what its response schema names', async t => {
  const fastify = await app(t)
  t.equal((await fastify.inject('/health')).body, '{"status":"ok"}')
})
