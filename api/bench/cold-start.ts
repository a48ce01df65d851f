/**
 * `npm run bench:cold`: what a Lambda cold start costs next to a bare `node -e 0` and next to the smallest
 * Fastify behind @fastify/aws-lambda (bench/hello-lambda.ts, built the same way), on what `sam build` made
 * (.aws-sam/build/ApiFunction) or, without one, on the same esbuild bundle made here (bench/sam-bundle.ts):
 * a whole process that imports the bundle (init: build the app, ready) and handles one /health event, as
 * Lambda's runtime does. Then the bundle's bytes by package, read from its source maps, split into what init
 * loads and the chunks loaded later. Prints numbers; asserts nothing. The Node that runs the bench runs the
 * processes: `PATH=<node 22>/bin:$PATH npm run bench:cold` for Lambda's.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildProperties, bundleLikeSam } from './sam-bundle.js'
import { AUDIENCE, POOL_ID } from './upstreams.js'

const RUNS = Number(process.env.BENCH_RUNS || 21)
const BUILD = fileURLToPath(new URL('../../.aws-sam/build/', import.meta.url))
const sam = existsSync(`${BUILD}ApiFunction/lambda.mjs`) && existsSync(`${BUILD}template.yaml`)
const work = mkdtempSync(join(tmpdir(), 'bench-cold-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
const DIR = sam ? `${BUILD}ApiFunction/` : `${work}/api/`
const ENTRY = `${DIR}lambda.mjs`
if (!sam) bundleLikeSam(DIR)
// Plain Fastify needs its own schema compilers: the API's are what lets template.yaml leave those out.
bundleLikeSam(`${work}/hello/`, { entryPoints: ['bench/hello-lambda.ts'], omit: ['External'] })

// The function's NODE_OPTIONS as the built template sets them (Lambda applies them before init); SAM adds
// --enable-source-maps there whenever the template's BuildProperties set Sourcemap.
const MAPS = '--enable-source-maps'
const builtTemplate = sam ? readFileSync(`${BUILD}template.yaml`, 'utf8') : ''
const optionsLine = /^\s*NODE_OPTIONS:\s*(['"]?)(.*)\1\s*$/m.exec(builtTemplate)
const nodeOptions = sam ? optionsLine?.[2]?.trim() ?? '' : 'Sourcemap' in buildProperties() ? MAPS : ''
const otherOptions = nodeOptions.includes(MAPS) ? nodeOptions.replace(MAPS, '').trim() : `${nodeOptions} ${MAPS}`.trim()

// An HTTP API (payload 2.0) event; the stand-ins' values, as in the tests: /health touches no network.
const event = {
  version: '2.0',
  routeKey: 'GET /health',
  rawPath: '/health',
  rawQueryString: '',
  headers: { host: 'api.bench.test' },
  requestContext: { http: { method: 'GET', path: '/health', sourceIp: '203.0.113.1' }, stage: '$default' },
  isBase64Encoded: false
}
const lambdaEnv = {
  PATH: process.env.PATH,
  AUTH0_DOMAIN: 'http://localhost:4000',
  AUTH0_AUDIENCE: AUDIENCE,
  AWS_REGION: 'us-east-1',
  COGNITO_USER_POOL_ID: POOL_ID,
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://localhost:9229'
}
// Its stdout line {"init": …} (next to the app's log lines) says how long init and the first event took inside.
const coldScript = (entry: string) => `
  const start = performance.now()
  const { handler } = await import(${JSON.stringify(pathToFileURL(entry).href)})
  const ready = performance.now()
  const res = await handler(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 15000 })
  if (res.statusCode !== 200) process.exitCode = 1
  console.log(JSON.stringify({ init: ready - start, first: performance.now() - ready }))`

interface Variant { label: string, args: string[], env: Record<string, string | undefined>, times: Sample[] }
interface Sample { wall: number, init?: number, first?: number }

const bare = (label: string, env = {}): Variant => ({ label, args: ['-e', '0'], env, times: [] })
const cold = (label: string, env = {}, entry = ENTRY): Variant =>
  ({ label, args: ['--input-type=module', '-e', coldScript(entry)], env: { ...lambdaEnv, ...env }, times: [] })
// Lambda's Node 20+ runtimes set no NODE_EXTRA_CA_CERTS; a shell that does makes every Node start ~80 ms slower.
const { NODE_EXTRA_CA_CERTS } = process.env
// Another build's directory (lambda.mjs in it) to compare with, in the same interleaved runs: before and after.
const BASELINE = process.env.BENCH_BASELINE
const variants = [
  bare('bare `node -e 0`'),
  cold(`import bundle, ready, one /health (NODE_OPTIONS="${nodeOptions}")`, { NODE_OPTIONS: nodeOptions }),
  cold(`the same with NODE_OPTIONS="${otherOptions}"`, { NODE_OPTIONS: otherOptions }),
  cold(`Fastify hello world, same build (NODE_OPTIONS="${nodeOptions}")`, { NODE_OPTIONS: nodeOptions },
    `${work}/hello/hello-lambda.mjs`),
  ...NODE_EXTRA_CA_CERTS
    ? [
        bare('bare, with this shell\'s NODE_EXTRA_CA_CERTS', { NODE_EXTRA_CA_CERTS }),
        cold('cold, with this shell\'s NODE_EXTRA_CA_CERTS', { NODE_OPTIONS: nodeOptions, NODE_EXTRA_CA_CERTS })
      ]
    : [],
  ...BASELINE ? [cold(`baseline ${BASELINE}`, { NODE_OPTIONS: nodeOptions }, join(BASELINE, 'lambda.mjs'))] : []
]

function run ({ args, env }: Variant): Sample {
  const start = process.hrtime.bigint()
  const child = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  if (child.status !== 0) throw new Error(`${args.join(' ')} exited with ${child.status}: ${child.stderr}`)
  const inside = child.stdout.split('\n').find(line => line.startsWith('{"init"'))
  return { wall, ...(inside ? JSON.parse(inside) : {}) }
}

run(variants[1]!) // the first read of the bundle from disk is not what Lambda's next instance pays
// Interleaved, so a neighbour's load on the machine falls on every variant alike.
for (let i = 0; i < RUNS; i++) for (const variant of variants) variant.times.push(run(variant))

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`
console.log(`Cold start, Node ${process.version}, median of ${RUNS} whole processes ` +
  `(${sam ? DIR : 'no sam build: the same esbuild bundle, made by bench/sam-bundle.ts'})`)
const walls = variants.map(({ label, times }) => {
  const wall = median(times.map(sample => sample.wall))
  const inside = times[0]?.init === undefined
    ? ''
    : `   (import + ready ${ms(median(times.map(s => s.init!)))}, ` +
      `first /health ${ms(median(times.map(s => s.first!)))})`
  console.log(`  ${label.padEnd(72)} ${ms(wall)}${inside}`)
  return wall
})
console.log(`  ratio cold / bare: ${(walls[1]! / walls[0]!).toFixed(2)}x` +
  `   (NODE_OPTIONS="${otherOptions}": ${(walls[2]! / walls[0]!).toFixed(2)}x` +
  (NODE_EXTRA_CA_CERTS ? `; both with NODE_EXTRA_CA_CERTS: ${(walls[5]! / walls[4]!).toFixed(2)}x)` : ')'))
console.log(`  hello world / bare: ${(walls[3]! / walls[0]!).toFixed(2)}x; cold / hello world: ` +
  `${(walls[1]! / walls[3]!).toFixed(2)}x`)
if (BASELINE) {
  console.log(`  baseline / bare: ${(walls.at(-1)! / walls[0]!).toFixed(2)}x; ` +
    `cold / baseline: ${(walls[1]! / walls.at(-1)!).toFixed(2)}x`)
}

// --- Bytes by package, from each output file's source map -------------------------------------------------
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Yields [generated line, generated column, source index or -1] for every segment of a v3 `mappings`. */
function * segments (mappings: string): Generator<[number, number, number]> {
  let source = 0
  let lineNo = 0
  for (const text of mappings.split(';')) {
    let column = 0
    for (const segment of text ? text.split(',') : []) {
      const fields: number[] = []
      let value = 0
      let shift = 0
      for (const char of segment) {
        const digit = BASE64.indexOf(char)
        value += (digit & 31) << shift
        shift += 5
        if (digit & 32) continue
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
        value = shift = 0
      }
      column += fields[0]!
      if (fields.length > 1) source += fields[1]!
      yield [lineNo, column, fields.length > 1 ? source : -1]
    }
    lineNo++
  }
}

/** `…/node_modules/@smithy/core/dist-es/x.js` → `@smithy/core`; the API's own files → `src (this API)`. */
function packageOf (path: string): string {
  const at = path.lastIndexOf('node_modules/')
  if (at < 0) return /(^|\/)src\//.test(path) ? 'src (this API)' : path
  const [scope, name] = path.slice(at + 'node_modules/'.length).split('/')
  return scope!.startsWith('@') ? `${scope}/${name}` : scope!
}

function bytesByPackage (file: string): Map<string, number> {
  const code = readFileSync(`${DIR}${file}`, 'utf8').split('\n')
  const map = JSON.parse(readFileSync(`${DIR}${file}.map`, 'utf8')) as { sources: string[], mappings: string }
  const sizes = new Map<string, number>()
  const add = (name: string, text: string) => sizes.set(name, (sizes.get(name) ?? 0) + Buffer.byteLength(text))
  let previous: [number, number, number] = [0, 0, -1]
  const flush = (lineNo: number, endColumn?: number) => {
    const [from, column, source] = previous
    for (let l = from; l <= lineNo && l < code.length; l++) {
      const text = code[l]!.slice(l === from ? column : 0, l === lineNo ? endColumn : undefined)
      add(source < 0 ? '(unmapped: banner, glue)' : packageOf(map.sources[source]!), l < lineNo ? `${text}\n` : text)
    }
  }
  for (const segment of segments(map.mappings)) {
    flush(segment[0], segment[1])
    previous = segment
  }
  flush(code.length - 1)
  return sizes
}

/**
 * The output files the entry reaches, each with when it loads: `init` through static imports (before ready),
 * `later` through a dynamic import() (a chunk of its own with esbuild's splitting). Files left over in the
 * directory from an older build are not reached.
 */
function reachable (file: string, when: 'init' | 'later', found = new Map<string, 'init' | 'later'>()) {
  if (found.get(file) === 'init' || found.get(file) === when) return found
  found.set(file, when)
  const code = readFileSync(`${DIR}${file}`, 'utf8')
  for (const [, dynamic, chunk] of code.matchAll(/(import\(|from|import)\s*"\.\/([^"]+\.mjs)"/g)) {
    reachable(chunk!, dynamic === 'import(' ? 'later' : when, found)
  }
  return found
}

const files = reachable('lambda.mjs', 'init')
const table = new Map<string, { init: number, later: number }>()
for (const [file, when] of files) {
  for (const [name, bytes] of bytesByPackage(file)) {
    const row = table.get(name) ?? { init: 0, later: 0 }
    row[when] += bytes
    table.set(name, row)
  }
}
const rows = [...table].sort(([, a], [, b]) => b.init + b.later - a.init - a.later)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(7)} KB`
const sum = (key: 'init' | 'later') => rows.reduce((total, [, row]) => total + row[key], 0)
console.log(`\nBundle by package (${files.size} file(s); "at init": what the entry loads before ready)`)
console.log(`  ${'package'.padEnd(44)} ${'at init'.padStart(10)} ${'later'.padStart(10)}`)
for (const [name, row] of rows.slice(0, 25)) console.log(`  ${name.padEnd(44)} ${kb(row.init)} ${kb(row.later)}`)
const rest = rows.slice(25)
if (rest.length) {
  const init = rest.reduce((total, [, row]) => total + row.init, 0)
  const later = rest.reduce((total, [, row]) => total + row.later, 0)
  console.log(`  ${`${rest.length} other packages`.padEnd(44)} ${kb(init)} ${kb(later)}`)
}
console.log(`  ${'total'.padEnd(44)} ${kb(sum('init'))} ${kb(sum('later'))}`)
