/**
 * Keeps the documentation true: every environment variable the code reads is in .env.example,
 * and every npm command the README gives exists.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { ROOT } from '../../local/src/stack.js'

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
