/**
 * One list of routes that deploys: the app's routes (from buildApp, as every entry point builds it) against
 * template.yaml's API events, the README's Endpoints table and `npm start`'s banner. API Gateway routes only
 * what the template declares, so a route missing there answers 404 on Lambda while it works in Docker.
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { buildApp } from '../../api/src/app.js'
import { loadConfig } from '../../api/src/config.js'
import { httpApiRoutes, readTemplate } from '../../local/src/aws/template.js'
import { banner, ROUTES } from '../../local/src/banner.js'
import { DEFAULT_PORTS, localEnv, ROOT } from '../../local/src/stack.js'

const METHOD_PATH = /\b(GET|POST|PUT|PATCH|DELETE|OPTIONS) (\/[^\s`|,]*)/g

/** The app's routes as `METHOD /path` (Fastify's `:param`), without the HEAD routes Fastify adds to each GET. */
async function appRoutes () {
  const app = buildApp(loadConfig(localEnv(DEFAULT_PORTS)), { logger: false })
  const routes = new Set<string>()
  app.addHook('onRoute', route => {
    for (const method of [route.method].flat()) routes.add(`${method} ${route.url}`)
  })
  await app.ready()
  await app.close()
  for (const route of routes) {
    if (route.startsWith('HEAD ') && routes.has(route.replace('HEAD', 'GET'))) routes.delete(route)
  }
  return routes
}

/** ApiFunction's HttpApi events as `METHOD /path`, read as the AWS stand-ins read them. */
const templateRoutes = (template: unknown) => new Set(httpApiRoutes(template))

/**
 * What the template must route for these app routes: each one, and for each path its CORS preflight, which the
 * app answers on every path (@fastify/cors's `OPTIONS *`) and API Gateway passes on only where declared.
 */
function deployable (app: Set<string>) {
  const wanted = new Set<string>()
  for (const route of app) {
    const [method, path] = route.split(' ') as [string, string]
    if (method === 'OPTIONS') continue
    const gatewayPath = path.replace(/:(\w+)/g, '{$1}')
    wanted.add(`${method} ${gatewayPath}`)
    if (app.has('OPTIONS *')) wanted.add(`OPTIONS ${gatewayPath}`)
  }
  return wanted
}

/** Each difference as a sentence: what the template lacks, and what it routes that the app does not have. */
function drift (wanted: Set<string>, routed: Set<string>) {
  return [
    ...[...wanted].filter(route => !routed.has(route)).map(route => `template.yaml lacks ${route}`),
    ...[...routed].filter(route => !wanted.has(route))
      .map(route => `template.yaml routes ${route}, the app has no such route`)
  ]
}

const templateFile = `${ROOT}template.yaml`
const app = await appRoutes()
/** The app's routes a client calls, as the README and the banner write them (`GET /users/:sub`). */
const documented = [...app].filter(route => !route.startsWith('OPTIONS ')).sort()

t.test('the app has the routes this test knows how to read', async t => {
  t.ok(documented.length >= 3, documented.join(', '))
  t.ok(app.has('OPTIONS *'), '@fastify/cors answers every preflight')
  t.ok(documented.includes('GET /users/:sub'), 'a route with a path parameter')
})

t.test("template.yaml's API events are the app's routes, each path with its OPTIONS preflight", async t => {
  t.same(drift(deployable(app), templateRoutes(readTemplate(templateFile))), [])
})

t.test('a drifted template is caught, in either direction', async t => {
  const template = readTemplate(templateFile)
  const events = template.Resources.ApiFunction.Properties.Events
  t.ok(events.UserLookupPreflight && events.UserLookup, 'the events this test changes exist')
  delete events.UserLookupPreflight
  events.UserLookup.Properties.Path = '/users/{id}'
  events.Stale = { Type: 'HttpApi', Properties: { ApiId: { Ref: 'HttpApi' }, Path: '/old', Method: 'post' } }
  t.same(drift(deployable(app), templateRoutes(template)).sort(), [
    'template.yaml lacks GET /users/{sub}',
    'template.yaml lacks OPTIONS /users/{sub}',
    'template.yaml routes GET /users/{id}, the app has no such route',
    'template.yaml routes POST /old, the app has no such route'
  ])
})

t.test("the README's Endpoints table names every route, and no other", async t => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8')
  const start = readme.indexOf('\n### Endpoints\n')
  t.not(start, -1, 'the README has its Endpoints section')
  const rows = readme.slice(start, readme.indexOf('\n#', start + 1)).split('\n').filter(line => line.startsWith('| `'))
  // The first column only: the answers may name other routes.
  const named = new Set(rows.flatMap(row => [...row.split(' | ')[0]!.matchAll(METHOD_PATH)])
    .map(m => `${m[1]} ${m[2]}`))
  t.same([...named].sort(), documented)
})

t.test("npm start's banner names every route, and no other", async t => {
  t.same(ROUTES.map(([route]) => route).sort(), documented)
  const urls = { spa: 'http://localhost:3000', api: 'http://localhost:8000', idp: 'http://localhost:4000' }
  const text = banner({ urls })
  t.same([...text.matchAll(METHOD_PATH)].map(m => `${m[1]} ${m[2]}`).sort(), documented)
})
