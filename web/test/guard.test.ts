import t from 'tap'
import { decide } from '../src/guard.js'

t.test('routing decisions for signed-out and signed-in visitors', async t => {
  const table: Array<[string, boolean, ReturnType<typeof decide>]> = [
    ['/', false, { action: 'render' }],
    ['/', true, { action: 'redirect', to: '/home' }],
    ['/home', false, { action: 'login', returnTo: '/home' }],
    ['/home', true, { action: 'render' }],
    ['/callback', false, { action: 'render' }],
    ['/callback', true, { action: 'render' }],
    ['/nope', false, { action: 'render' }]
  ]
  for (const [path, signedIn, expected] of table) t.same(decide(path, signedIn), expected, `${path} ${signedIn ? 'signed in' : 'signed out'}`)
})
