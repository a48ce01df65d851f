import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import {
  ConfigError, ConfigSchema, isPlaceholder, issuerFromDomain, loadConfig, NO_DEFAULT, withDerived
} from '../src/config.js'

const minimal = {
  AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  AUTH0_AUDIENCE: 'https://api.acme.test',
  AWS_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz'
}

const properties = Object.entries(ConfigSchema.properties) as Array<[string, { default?: unknown, enum?: string[] }]>

t.test('defaults fill what is optional; other env vars are ignored', async t => {
  const config: Record<string, unknown> = loadConfig({ ...minimal, PATH: '/usr/bin', AWS_SECRET_ACCESS_KEY: 'secret' })
  t.match(config, {
    ...minimal, AUTH0_EMAIL_CLAIM: 'email', BACKEND_PORT: 8000, DPOP_MODE: 'allowed', issuer: 'https://tenant.eu.auth0.com/'
  })
  // Every default the schema has, so that a new variable with one needs no line here.
  for (const [name, schema] of properties) if ('default' in schema) t.equal(config[name], schema.default, name)
  t.notOk('PATH' in config || 'AWS_SECRET_ACCESS_KEY' in config, 'only the schema\'s variables')
})

t.test('.env.example states each default and each allowed value the schema has', async t => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
  for (const [name, schema] of properties) {
    // The comment lines right above the variable's own line.
    const block = new RegExp(`((?:^#.*\\n)*)^(?:# )?${name}=`, 'm').exec(example)?.[1]
    t.type(block, 'string', `${name} is in .env.example`)
    const stated = [...'default' in schema ? [String(schema.default)] : [], ...schema.enum ?? []]
    for (const value of stated) t.ok(block?.includes(value), `${name}: ${value}`)
  }
})

t.test('what the app uses in another form is derived once, at load', async t => {
  const config = loadConfig({
    ...minimal, AUTH0_ALLOWED_CLIENT_IDS: 'spa-1, spa-2,m2m', API_PUBLIC_URL: 'https://api.acme.test/v1//'
  })
  t.equal(config.issuer, 'https://tenant.eu.auth0.com/')
  t.same(config.allowedClientIds, ['spa-1', 'spa-2', 'm2m'])
  t.equal(config.publicUrl, 'https://api.acme.test/v1')
})

t.test('one problem per line, each in plain words with the value given', async t => {
  const err = t.throws(() => loadConfig({
    AUTH0_DOMAIN: 'x.auth0.com',
    AWS_REGION: 'nowhere',
    BACKEND_PORT: '70000',
    DPOP_MODE: 'bogus',
    LOG_LEVEL: 'loud',
    COGNITO_AUTH0_PROVIDER_NAME: 'A'.repeat(33)
  }), { name: 'ConfigError' }) as ConfigError
  const problems = [
    'AUTH0_AUDIENCE is not set',
    'COGNITO_USER_POOL_ID is not set',
    'AWS_REGION must be an AWS Region such as eu-west-1 (got "nowhere")',
    `COGNITO_AUTH0_PROVIDER_NAME must be at most 32 characters (got "${'A'.repeat(33)}")`,
    'BACKEND_PORT must be a port number, 1 to 65535 (got "70000")',
    'DPOP_MODE must be one of allowed, required, disabled (got "bogus")',
    'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'
  ]
  t.same(err.problems, problems)
  t.equal(err.message, problems.join('\n'))
})

t.test('every rule beyond "a string" says in words what it takes: an enum lists its values, the rest `expected`',
  async t => {
    for (const [name, schema] of Object.entries(ConfigSchema.properties) as Array<[string, object]>) {
      const rules = ['pattern', 'maxLength', 'minimum', 'maximum'].filter(rule => rule in schema)
      if (rules.length && !('enum' in schema)) t.type('expected' in schema && schema.expected, 'string', name)
    }
  })

t.test('NO_DEFAULT: what withDerived must be given is exactly what has no default and is not optional', async t => {
  const required = ConfigSchema.required.filter(name =>
    !('default' in (ConfigSchema.properties as Record<string, object>)[name]!))
  t.same([...NO_DEFAULT].sort(), required.sort())
  const config = withDerived({ ...minimal, LOG_LEVEL: 'silent' })
  t.equal(config.BACKEND_PORT, 8000, 'a default left out is filled in')
  t.equal(config.LOG_LEVEL, 'silent', 'a value given is kept')
})

t.test('numbers are converted, from digits only, and empty values count as unset', async t => {
  const config = loadConfig({ ...minimal, BACKEND_PORT: ' 9000', FRONTEND_ORIGIN: '', AUTH0_EMAIL_CLAIM: '' })
  t.equal(config.BACKEND_PORT, 9000)
  t.equal(config.FRONTEND_ORIGIN, 'http://localhost:3000')
  t.equal(config.AUTH0_EMAIL_CLAIM, 'email')
  for (const port of ['true', '0x1F', '1e3', '80.5', 'eighty']) {
    t.throws(() => loadConfig({ ...minimal, BACKEND_PORT: port }),
      { message: `BACKEND_PORT must be a port number, 1 to 65535 (got "${port}")` }, port)
  }
})

t.test('a missing or malformed variable is named in the error', async t => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ ...minimal, AUTH0_DOMAIN: '' }, /AUTH0_DOMAIN/],
    [{ ...minimal, AUTH0_AUDIENCE: undefined as unknown as string }, /AUTH0_AUDIENCE/],
    [{ ...minimal, COGNITO_USER_POOL_ID: 'not a pool' }, /COGNITO_USER_POOL_ID/],
    [{ ...minimal, AWS_REGION: 'Mars' }, /AWS_REGION/],
    [{ ...minimal, BACKEND_PORT: 'eighty' }, /BACKEND_PORT/],
    [{ ...minimal, BACKEND_PORT: '70000' }, /BACKEND_PORT/],
    [{ ...minimal, FRONTEND_ORIGIN: 'http://localhost:3000/' }, /FRONTEND_ORIGIN/],
    [{ ...minimal, FRONTEND_ORIGIN: '*' }, /FRONTEND_ORIGIN/],
    [{ ...minimal, LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ...minimal, AUTH0_JWKS_URI: 'jwks.json' }, /AUTH0_JWKS_URI/],
    [{ ...minimal, AUTH0_DOMAIN: 'https://tenant.auth0.com/path' }, /AUTH0_DOMAIN/],
    [{ ...minimal, AUTH0_DOMAIN: 'ftp://tenant.auth0.com' }, /AUTH0_DOMAIN/],
    [{ ...minimal, AUTH0_ALLOWED_CLIENT_IDS: 'abc;def' }, /AUTH0_ALLOWED_CLIENT_IDS/],
    [
      { ...minimal, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'cognito:9229' },
      /AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER/
    ]
  ]
  for (const [env, pattern] of cases) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', message: pattern }, String(pattern))
  }
})

t.test('.env.example placeholders stop the API, every one named in one message', async t => {
  const err = t.throws(() => loadConfig({
    ...minimal,
    AUTH0_DOMAIN: 'your-tenant.eu.auth0.com',
    AUTH0_AUDIENCE: 'https://api.example.com',
    AUTH0_EMAIL_CLAIM: 'https://api.example.com/email',
    COGNITO_USER_POOL_ID: ''
  }), { name: 'ConfigError' }) as Error
  t.same((err as ConfigError).problems, [
    'COGNITO_USER_POOL_ID is empty',
    'AUTH0_DOMAIN is still the .env.example placeholder (your-tenant.eu.auth0.com)',
    'AUTH0_AUDIENCE is still the .env.example placeholder (https://api.example.com)',
    'AUTH0_EMAIL_CLAIM is still the .env.example placeholder (https://api.example.com/email)'
  ])
  for (const value of ['https://example.org', 'https://login.example.net/', 'YOUR-TENANT.auth0.com']) {
    const placeholder = /AUTH0_DOMAIN is still the .env.example placeholder/
    t.throws(() => loadConfig({ ...minimal, AUTH0_DOMAIN: value }), { message: placeholder }, value)
  }
  for (const value of ['https://api.example.test', 'https://myexample.com', 'https://example.company.com']) {
    t.equal(loadConfig({ ...minimal, AUTH0_AUDIENCE: value }).AUTH0_AUDIENCE, value, `${value} is not a placeholder`)
  }
})

t.test('placeholders: `your-` or an RFC 2606 example domain, nothing else', async t => {
  for (const value of [
    'your-tenant.eu.auth0.com', 'YOUR-CLIENT-ID', 'https://api.example.com', 'example.org',
    'http://a.b.example.net:8080/x', 'https://EXAMPLE.COM/'
  ]) t.ok(isPlaceholder(value), value)
  for (const value of [
    'dev-abc123.eu.auth0.com', 'https://api.local.test', 'http://localhost:4000', 'notexample.com',
    'https://example.community', 'eu-west-1_AbC123xyz', 'Xk2mLq9', 'https://[not a host'
  ]) t.notOk(isPlaceholder(value), value)
})

t.test('plain http only for loopback and the compose stand-ins, never next to a real tenant', async t => {
  const local = {
    ...minimal, AUTH0_DOMAIN: 'http://localhost:4000', AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9229'
  }
  const accepted = [
    local,
    { ...local, AUTH0_DOMAIN: 'http://127.0.0.1:4000' },
    {
      ...local,
      AUTH0_JWKS_URI: 'http://idp:4000/.well-known/jwks.json',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://cognito:9229'
    },
    { ...local, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: undefined, AWS_ENDPOINT_URL: 'http://localhost:9229' },
    {
      ...minimal,
      AUTH0_JWKS_URI: 'https://keys.acme.test/jwks.json',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'https://cognito-idp.eu-west-1.amazonaws.com'
    }
  ]
  for (const env of accepted) t.ok(loadConfig(env), JSON.stringify(env))
  const refused: Array<[Record<string, string>, string]> = [
    [
      { ...minimal, AUTH0_DOMAIN: 'http://tenant.eu.auth0.com' },
      'AUTH0_DOMAIN must use https unless it is on loopback (got "http://tenant.eu.auth0.com")'
    ],
    [
      { ...minimal, AUTH0_JWKS_URI: 'http://idp:4000/.well-known/jwks.json' },
      'AUTH0_JWKS_URI must use https with a real Auth0 domain'
    ],
    [
      { ...minimal, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://cognito:9229' },
      'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER must use https with a real'
    ],
    [
      { ...minimal, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9229' },
      'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER must use https with a real'
    ],
    [
      { ...minimal, AWS_ENDPOINT_URL: 'http://127.0.0.1:9229' },
      'AWS_ENDPOINT_URL must use https with a real'
    ],
    [
      { ...local, AUTH0_JWKS_URI: 'http://keys.acme.test/jwks.json' },
      'AUTH0_JWKS_URI must use https unless it is on loopback or a compose stand-in'
    ],
    [
      { ...local, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: '' },
      'AUTH0_DOMAIN is a local stand-in (http://localhost:4000) but Cognito is not'
    ],
    [
      { ...local, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'https://cognito-idp.eu-west-1.amazonaws.com' },
      'AUTH0_DOMAIN is a local stand-in (http://localhost:4000) but Cognito is not'
    ]
  ]
  for (const [env, message] of refused) {
    const err = t.throws(() => loadConfig(env), { name: 'ConfigError' }) as Error
    t.ok(err.message.startsWith(message), err.message)
  }
  const both = {
    ...minimal,
    AUTH0_JWKS_URI: 'http://idp:4000/jwks',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://cognito:9229'
  }
  t.throws(() => loadConfig(both),
    { message: /^AUTH0_JWKS_URI .*\nAWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER / }, 'both named at once')
  t.throws(() => loadConfig({ ...both, AUTH0_AUDIENCE: '' }),
    { message: /^AUTH0_AUDIENCE is empty\nAUTH0_JWKS_URI .*\nAWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER / },
    'next to a missing value, in the same message')
  t.throws(() => loadConfig({ ...local, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://[::1' }),
    { name: 'ConfigError', message: /must use https unless it is on loopback or a compose stand-in/ },
    'an endpoint URL that does not parse is refused, not thrown as a TypeError')
})

t.test('DPOP_MODE: allowed unless set; only the three modes', async t => {
  t.equal(loadConfig(minimal).DPOP_MODE, 'allowed')
  for (const mode of ['required', 'disabled'] as const) {
    t.equal(loadConfig({ ...minimal, DPOP_MODE: mode }).DPOP_MODE, mode)
  }
  t.throws(() => loadConfig({ ...minimal, DPOP_MODE: 'on' }),
    { message: 'DPOP_MODE must be one of allowed, required, disabled (got "on")' })
})

t.test('API_PUBLIC_URL: scheme, host and a base path; https unless on loopback, whatever AUTH0_DOMAIN is',
  async t => {
    const accepted = [
      'https://api.acme.test',
      'https://abc123.execute-api.eu-west-1.amazonaws.com/Prod',
      'https://api.acme.test/v1/',
      'http://localhost:8000',
      'http://127.0.0.1:8000'
    ]
    for (const url of accepted) t.equal(loadConfig({ ...minimal, API_PUBLIC_URL: url }).API_PUBLIC_URL, url, url)
    t.equal(loadConfig(minimal).API_PUBLIC_URL, undefined, 'unset: no default')
    const refused: Array<[string, string]> = [
      ['api.acme.test', 'API_PUBLIC_URL must be an http(s) URL with no query or fragment (got "api.acme.test")'],
      ['https://api.acme.test/me?x=1', 'API_PUBLIC_URL must be an http(s) URL with no query or fragment'],
      ['https://api.acme.test/#top', 'API_PUBLIC_URL must be an http(s) URL with no query or fragment'],
      ['https://a b', 'API_PUBLIC_URL must be a URL (got "https://a b")'],
      ['http://api.acme.test', 'API_PUBLIC_URL must use https unless it is on loopback (got "http://api.acme.test")']
    ]
    for (const [url, message] of refused) {
      const local = {
        ...minimal, AUTH0_DOMAIN: 'http://localhost:4000', AWS_ENDPOINT_URL: 'http://localhost:9229', API_PUBLIC_URL: url
      }
      const err = t.throws(() => loadConfig(local), { name: 'ConfigError' }) as ConfigError
      t.equal(err.problems.length, 1, 'one line for the variable, however many rules it breaks')
      t.ok(err.message.startsWith(message), err.message)
    }
  })

t.test('HOST: loopback unless set', async t => {
  t.equal(loadConfig(minimal).HOST, '127.0.0.1')
  t.equal(loadConfig({ ...minimal, HOST: '0.0.0.0' }).HOST, '0.0.0.0')
})

t.test('issuer follows auth0-spa-js: https:// unless a scheme is given, one trailing slash', async t => {
  t.equal(issuerFromDomain('tenant.us.auth0.com'), 'https://tenant.us.auth0.com/')
  t.equal(issuerFromDomain('login.example.com/'), 'https://login.example.com/')
  t.equal(issuerFromDomain('http://localhost:4000'), 'http://localhost:4000/')
  t.equal(issuerFromDomain('https://tenant.auth0.com/'), 'https://tenant.auth0.com/')
  t.throws(() => issuerFromDomain('https://'), ConfigError)
})

t.test('the server stops at boot with one line per problem, each naming its variable', async t => {
  const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))
  const { AUTH0_DOMAIN, ...env } = minimal
  t.ok(AUTH0_DOMAIN)
  const run = spawnSync(process.execPath, ['--import', 'tsx', server], {
    // _TAPJS_PROCESSINFO_COVERAGE_: no coverage from the child (see server.test.ts).
    env: { PATH: process.env.PATH, ...env, AUTH0_AUDIENCE: 'https://api.example.com', _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    encoding: 'utf8',
    timeout: 20_000
  })
  t.equal(run.status, 1)
  t.equal(run.stderr, 'Configuration error: AUTH0_DOMAIN is not set\n' +
    'Configuration error: AUTH0_AUDIENCE is still the .env.example placeholder (https://api.example.com)\n')
  t.equal(run.stdout, '')
})
