/**
 * What a Lambda cold start loads, read from the bundle `sam build` makes (bundled here the same way, by
 * bench/sam-bundle.ts): no timing, the facts that keep init short. `npm run bench:cold` gives the times.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { bundleLikeSam } from '../bench/sam-bundle.js'

interface Output { imports: Array<{ path: string, kind: string, external?: boolean }>, inputs: Record<string, unknown> }

t.test('init: no ESM import of node:http(s), and the AWS SDK only in the chunks a first /me loads', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-bundle-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  bundleLikeSam(dir, [`--metafile=${dir}/meta.json`])
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
