/**
 * No Docker engine runs here, so the compose file and the Dockerfiles are checked statically:
 * dclint against the Compose schema and its rules, dockerfile-utils for the Dockerfiles, and the
 * promises the README makes (the same commands as natively, loopback-only ports, health-gated starts).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { ROOT } from '../../local/src/stack.js'

const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`
const compose = parse(readFileSync(`${ROOT}docker-compose.yml`, 'utf8'))
const scripts = (workspace: string) => JSON.parse(readFileSync(`${ROOT}${workspace}/package.json`, 'utf8')).scripts

t.test('dclint: valid against the Compose schema, no warnings', async t => {
  // `name:` is left out on purpose: Debian's docker-compose 1.29 does not know it.
  const run = spawnSync(bin('dclint'), [
    'docker-compose.yml',
    '--disable-rule', 'require-project-name-field',
    '--max-warnings', '0',
    '--color', 'false'
  ], { cwd: ROOT, encoding: 'utf8' })
  t.equal(run.status, 0, run.stdout + run.stderr)
})

t.test('dockerfile-utils finds nothing in the three Dockerfiles', async t => {
  for (const file of ['api/Dockerfile', 'web/Dockerfile', 'local/Dockerfile']) {
    const run = spawnSync(bin('dockerfile-utils'), ['lint', file], { cwd: ROOT, encoding: 'utf8' })
    t.equal(run.status, 0, file)
    t.equal(run.stdout.trim(), '', `${file}: ${run.stdout}`)
  }
})

t.test('the stand-ins run the same commands as natively', async t => {
  for (const service of ['idp', 'cognito']) {
    const [npm, runWord, script, flag, workspace] = compose.services[service].command
    t.same([npm, runWord, flag, workspace], ['npm', 'run', '--workspace', 'local'], service)
    t.ok(scripts('local')[script], `npm run ${script} --workspace local exists`)
  }
})

t.test('the images start the way npm start does', async t => {
  const cmd = (file: string) => {
    const match = /^CMD (\[.*\])$/m.exec(readFileSync(`${ROOT}${file}`, 'utf8'))
    return JSON.parse(match![1]!).join(' ')
  }
  t.equal(cmd('api/Dockerfile'), scripts('api').start, 'api: node dist/server.js')
  const webDockerfile = readFileSync(`${ROOT}web/Dockerfile`, 'utf8')
  const copiesNginxConf = /COPY web\/nginx\.conf \/etc\/nginx\/conf\.d\/default\.conf/
  t.match(webDockerfile, copiesNginxConf, 'web: the same nginx config the browser tests use')
})

t.test('ports only on 127.0.0.1; every start waits for health', async t => {
  for (const [name, service] of Object.entries<any>(compose.services)) {
    for (const port of service.ports) t.match(port, /^127\.0\.0\.1:/, `${name} ${port}`)
  }
  t.same(compose.services.api.depends_on, {
    cognito: { condition: 'service_healthy' },
    idp: { condition: 'service_healthy' }
  })
  t.same(compose.services.web.depends_on, { api: { condition: 'service_healthy' } })
  t.ok(compose.services.idp.healthcheck && compose.services.cognito.healthcheck, 'stand-ins declare health checks')
  for (const file of ['api/Dockerfile', 'web/Dockerfile']) {
    t.match(readFileSync(`${ROOT}${file}`, 'utf8'), /^HEALTHCHECK /m, `${file} has a HEALTHCHECK`)
  }
})

t.test('the browser reaches the API at a published URL, the API reaches the stand-ins by service name', async t => {
  const web = compose.services.web.build.args
  const api = compose.services.api.environment
  /* eslint-disable no-template-curly-in-string -- compose's own ${VAR} syntax, not a template literal */
  t.equal(web.VITE_BACKEND_BASE_URL, '${VITE_BACKEND_BASE_URL-http://localhost:8000}')
  // Unset: the stand-ins. Set, even empty (a .env copied from .env.example): the real services.
  t.equal(api.AUTH0_JWKS_URI, '${AUTH0_JWKS_URI-http://idp:4000/.well-known/jwks.json}')
  t.equal(
    api.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
    '${AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER-http://cognito:9229}'
  )
  /* eslint-enable no-template-curly-in-string */
  t.match(readFileSync(`${ROOT}.env.example`, 'utf8'), /^AUTH0_JWKS_URI=$/m)
  t.match(readFileSync(`${ROOT}.env.example`, 'utf8'), /^AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=$/m)
})

/** What docker compose hands a service: `${VAR:-default}` (unset or empty), `${VAR-default}` (unset only), `${VAR}`. */
function interpolate (value: string | number, env: Record<string, string>) {
  const substitute = (_: string, name: string, op: string | undefined, fallback: string) =>
    env[name] === undefined || (op === ':-' && env[name] === '') ? (op ? fallback : '') : env[name]!
  return String(value).replace(/\$\{(\w+)(:?-)?([^}]*)\}/g, substitute)
}

t.test('with a real .env, compose can never point the API at a stand-in: it refuses to start', async t => {
  const realEnv = {
    AUTH0_DOMAIN: 'acme.eu.auth0.com',
    AUTH0_AUDIENCE: 'https://api.acme.test',
    AWS_REGION: 'eu-west-1',
    COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz'
  }
  const apiEnv = (env: Record<string, string>) => Object.fromEntries(
    Object.entries<string | number>(compose.services.api.environment)
      .map(([name, value]) => [name, interpolate(value, env)]))
  const boot = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: ROOT,
    // 192.0.2.1 (TEST-NET-1) is nobody's address here: a server that gets past its config fails to listen and exits.
    env: { PATH: process.env.PATH, ...apiEnv(env), HOST: '192.0.2.1', LOG_LEVEL: 'fatal' },
    encoding: 'utf8',
    timeout: 20_000
  })
  // A .env that lacks the two endpoint lines: compose's defaults would be the stand-ins'.
  const refused = boot(realEnv)
  t.equal(refused.status, 1)
  const bothRefused = new RegExp(
    '^Configuration error: AUTH0_JWKS_URI must use https with a real Auth0 domain .*\n' +
    'Configuration error: AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER must use https with a real Auth0 domain'
  )
  t.match(refused.stderr, bothRefused)
  t.notMatch(refused.stderr, /\n\s+at /, 'no stack trace')
  // The same .env with .env.example's empty lines: the real services, and the config passes.
  const real = boot({ ...realEnv, AUTH0_JWKS_URI: '', AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: '' })
  t.equal(real.status, 1)
  t.match(real.stdout, /EADDRNOTAVAIL/, 'it got as far as listening')
  t.notMatch(real.stderr, /Configuration error/)
  t.same(apiEnv({ ...realEnv, AUTH0_JWKS_URI: '', AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: '' }).AUTH0_JWKS_URI, '')
  // A .env that leaves a required value empty: the API names it, no stand-in's value fills it.
  const fromExample = { ...realEnv, AUTH0_JWKS_URI: '', AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: '' }
  const empty = boot({ ...fromExample, AUTH0_DOMAIN: '', COGNITO_USER_POOL_ID: '' })
  t.equal(empty.status, 1)
  t.equal(empty.stderr,
    'Configuration error: AUTH0_DOMAIN is empty\nConfiguration error: COGNITO_USER_POOL_ID is empty\n')
  // One without an AUTH0_DOMAIN line at all: the stand-in's domain next to AWS's Cognito is refused.
  const { AUTH0_DOMAIN: _, ...noDomain } = fromExample
  const mixed = boot(noDomain)
  t.equal(mixed.status, 1)
  t.match(mixed.stderr, /^Configuration error: AUTH0_DOMAIN is a local stand-in \(http:\/\/localhost:4000\) but Cog/)
})

t.test('a value .env names, even empty, reaches the API and the SPA build as it is', async t => {
  const named = (value: unknown) => /\$\{(?!\w*PORT)\w+:-/.test(String(value))
  const services = compose.services
  const values = [...Object.values(services.api.environment), ...Object.values(services.web.build.args)]
  t.same(values.filter(named), [], 'only ports fall back when empty (`:-`)')
  t.equal(interpolate(services.web.build.args.VITE_AUTH0_DOMAIN, { VITE_AUTH0_DOMAIN: '' }), '',
    'the SPA shows its configuration page instead of going to the stand-in')
})
