import t from 'tap'
import { createKeySet } from '../../src/auth/key-set.js'
import { startIdentityProvider } from '../fixtures/identity-provider.js'

const SECOND = 1_000

t.test('a flood of made-up kids costs the issuer one fetch per cooldown and cannot keep a rotated key out',
  async t => {
    const idp = await startIdentityProvider()
    t.after(() => idp.close())
    const clock = { ms: 0 }
    const cooldownMs = 30 * SECOND
    const keys = createKeySet({
      jwksUri: `${idp.domain}/.well-known/jwks.json`, prepare: jwk => jwk, cooldownMs, now: () => clock.ms
    })
    t.after(keys.close)
    t.ok(await keys.get('key-1'))
    const [current] = idp.keys
    let rotatedInAt: number | undefined
    const found = new Set<string>()
    // Two simulated minutes, twenty made-up kids a second; the issuer rotates a key in at 45 s.
    for (let second = 1; second <= 120; second++) {
      clock.ms = second * SECOND
      if (second === 45) idp.keys.push({ ...current, kid: 'key-2' })
      const kids = Array.from({ length: 20 }, (_, i) => `made-up-${second}-${i}`)
      for (const kid of kids) if (await keys.get(kid)) found.add(kid)
      if (rotatedInAt === undefined && await keys.get('key-2')) rotatedInAt = second
    }
    t.same([...found], [], 'no made-up kid has a key')
    t.equal(idp.jwksRequests, 1 + 120 / 30, 'the first fetch, then one per cooldown (at 30, 60, 90 and 120 s)')
    t.equal(rotatedInAt, 60, 'the rotated key is found at the first fetch after it was published')
    t.ok(await keys.get('key-1'), 'the known key still works')
  })
