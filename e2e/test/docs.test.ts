/**
 * Keeps the documentation true: every environment variable the code reads is in .env.example, every npm
 * command the README gives exists, the demo users are the stand-ins' and every package is explained.
 * (The routes: routes.test.ts.)
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { ROOT } from '../../local/src/stack.js'
import { USERS } from '../../local/src/users.js'

const read = (file: string) => readFileSync(`${ROOT}${file}`, 'utf8')
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n')
  .filter(file => /\.(ts|tsx|js)$|^docker-compose\.yml$/.test(file) && !file.endsWith('eslint.config.js'))

// The shell's own variables, not configuration.
const NOT_CONFIG = new Set(['PATH', 'HOME'])

t.test('every variable the code reads is documented in .env.example', async t => {
  // `# NAME=value` counts too: the test-only variables are documented commented out.
  const documented = new Set([...read('.env.example').matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map(m => m[1]))
  const patterns = [
    /\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)/g, // process.env.X, env.X
    /\bsetting\('([A-Z][A-Z0-9_]+)'\)/g, // local/src/serve.ts
    /^ {2}([A-Z][A-Z0-9_]+): (?:NonEmpty|Type)\b/gm, // the API's ConfigSchema
    /'(VITE_[A-Z0-9_]+)'/g // the SPA's CONFIG_KEYS
  ]
  const compose = /\$\{([A-Z][A-Z0-9_]+)[:}]/g // docker-compose.yml interpolation
  const names = new Map<string, string>()
  for (const file of tracked) {
    const source = read(file)
    for (const pattern of file === 'docker-compose.yml' ? [compose] : patterns) {
      for (const [, name] of source.matchAll(pattern)) if (!NOT_CONFIG.has(name!)) names.set(name!, file)
    }
  }
  t.ok(names.size > 20, `${names.size} variables found`)
  for (const [name, file] of names) t.ok(documented.has(name), `${name} (read in ${file})`)
})

t.test("the README's npm commands exist as scripts", async t => {
  const commands = [...read('README.md').matchAll(/^\s*npm (run \S+|start|test)(?: --workspace (\S+))?/gm)]
  t.ok(commands.length >= 8, `${commands.length} commands`)
  for (const [line, command, workspace] of commands) {
    const script = command!.replace(/^run /, '')
    const scripts = JSON.parse(read(`${workspace ? `${workspace}/` : ''}package.json`)).scripts
    t.ok(scripts[script], line!.trim())
  }
})

t.test("the README's demo-user table gives each stand-in user's login and sub, from local/src/users.ts", async t => {
  const rows = read('README.md').split('\n').filter(line => line.startsWith('| `') && line.includes('-demo-pass'))
  t.equal(rows.length, USERS.length, 'one row per demo user')
  for (const user of USERS) {
    const row = rows.find(line => line.startsWith(`| \`${user.email}\` | \`${user.password}\` |`))
    t.ok(row, user.email)
    t.match(row, `\`${user.sub.replace('|', '\\|')}\``, `${user.email}'s sub`)
  }
})

t.test('"Dependencies and why" names every package of every package.json, and only those', async t => {
  const manifests = ['', 'api/', 'web/', 'local/', 'e2e/'].map(dir => JSON.parse(read(`${dir}package.json`)))
  const packages = new Set(manifests.flatMap(manifest =>
    [manifest.dependencies, manifest.devDependencies].flatMap(deps => Object.keys(deps ?? {}))))
  const readme = read('README.md')
  const section = readme.slice(readme.indexOf('\n## Dependencies and why\n'), readme.indexOf('\n## Install'))
  const rows = section.split('\n').filter(line => line.startsWith('| `'))
  const named = new Map(rows.flatMap(row => {
    const [first, where] = row.split(' | ')
    return [...first!.matchAll(/`([^`]+)`/g)].map(m => [m[1]!, where!] as const)
  }))
  t.ok(named.size > 20, `${named.size} packages in the table`)
  for (const name of packages) t.ok(named.has(name), `${name} is in the table`)
  for (const [name, where] of named) {
    if (where !== 'not used') t.ok(packages.has(name), `${name} is a dependency (or its row says "not used")`)
  }
  t.equal(named.get('get-jwks'), 'not used', "the brief's get-jwks, and why not")
  for (const name of Object.keys(manifests[0].overrides ?? {})) {
    t.match(section, new RegExp(`overrides\\b[^]*\`${name}\``), `the ${name} override is explained`)
  }
})
