/**
 * What a Lambda cold start loads, read from the bundle `sam build` makes (bundled here the same way, by
 * bench/sam-bundle.ts): no timing, the facts that keep init short. `npm run bench:cold` gives the times.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { bundleLikeSam } from '../bench/sam-bundle.js'

const dir = mkdtempSync(join(tmpdir(), 'lambda-bundle-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
bundleLikeSam(dir, { extraArgs: [`--metafile=${dir}/meta.json`] })

interface Output { imports: Array<{ path: string, kind: string, external?: boolean }>, inputs: Record<string, unknown> }

t.test('init: no ESM import of node:http(s), and the AWS SDK only in the chunks a first /me loads', async t => {
  const outputs: Record<string, Output> = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8')).outputs
  const entry = Object.keys(outputs).find(file => file.endsWith('/lambda.mjs'))!
  // What init evaluates: the entry and what it imports statically, not what an import() loads later.
  const init = new Set<string>()
  const visit = (file: string) => {
    if (init.has(file)) return
    init.add(file)
    for (const { path, kind, external } of outputs[file]!.imports) {
      if (!external && kind === 'import-statement') visit(path)
    }
  }
  visit(entry)
  t.ok(Object.keys(outputs).length > init.size * 2, 'chunks loaded later exist')
  for (const file of init) {
    const name = file.slice(file.lastIndexOf('/') + 1)
    // Node 22 builds an ESM facade for a builtin by reading every export: node:http's lazy WebSocket loads undici.
    const builtins = outputs[file]!.imports.filter(({ external, kind }) => external && kind === 'import-statement')
      .map(({ path }) => path.replace(/^node:/, ''))
    t.notOk(builtins.includes('http') || builtins.includes('https'), `${name} imports ${builtins.join(', ')}`)
    const sdk = Object.keys(outputs[file]!.inputs).filter(input => input.includes('node_modules/@aws-sdk/'))
    t.same(sdk, [], `${name}: no AWS SDK module`)
  }
})

t.test('the bundle answers /health alone: Fastify never asks for the schema compilers template.yaml leaves out',
  async t => {
    const inputs = Object.keys(JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8')).inputs)
    const compilers = /node_modules\/(ajv|@fastify\/(ajv|fast-json-stringify)-compiler)\/|fast-json-stringify\/index/
    t.same(inputs.filter(input => compilers.test(input)), [], 'no ajv, no fast-json-stringify compiler')
    const event = { version: '2.0', rawPath: '/health', headers: {}, requestContext: { http: { method: 'GET' } } }
    // A directory of its own with no node_modules: a require() of a package left out would fail here, as on Lambda.
    const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(`${dir}/lambda.mjs`).href)})
      const res = await handler(${JSON.stringify(event)}, {}); console.log(JSON.stringify(res))`
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        AUTH0_DOMAIN: 'tenant.eu.auth0.com',
        AUTH0_AUDIENCE: 'https://api.acme.test',
        AWS_REGION: 'eu-west-1',
        COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz',
        LOG_LEVEL: 'silent'
      }
    })
    t.equal(run.status, 0, run.stderr)
    t.match(JSON.parse(run.stdout.trim().split('\n').pop()!), { statusCode: 200, body: '{"status":"ok"}' })
  })
