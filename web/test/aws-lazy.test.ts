import t from 'tap'
import type { AwsDeps } from '../src/aws/lazy.js'

t.test('a chunk that fails to load is said in words, and loaded again at the next click', async t => {
  let loads = 0
  const { lazyAws } = await t.mockImport<typeof import('../src/aws/lazy.js')>('../src/aws/lazy.js', {
    '../src/aws/access.js': {
      // What a failed dynamic import looks like to the caller: the promise of the module rejects.
      createAwsAccess: () => {
        if (++loads === 1) throw new TypeError('Failed to fetch dynamically imported module')
        return { credentials: async () => ({ kind: 'ok', body: 'fresh' }), whoami: async () => ({ kind: 'ok' }) }
      }
    }
  })
  const aws = lazyAws({ settings: { apiBaseUrl: 'https://gw.example.com' } } as AwsDeps)
  t.same(await aws.credentials(), {
    kind: 'network', message: 'The AWS part of this page could not be loaded. Check the connection and try again.'
  })
  t.same(await aws.credentials(), { kind: 'ok', body: 'fresh' })
  t.same(await aws.whoami(), { kind: 'ok' }, 'loaded once, then kept')
  t.equal(loads, 2)
})
