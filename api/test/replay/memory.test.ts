import t from 'tap'
import { createReplayStore } from '../../src/replay/index.js'
import { createMemoryReplayStore } from '../../src/replay/memory.js'
import { ReplayStoreError } from '../../src/replay/store.js'

/** A clock the test moves by hand: Unix seconds. */
function clock (start = 1_000) {
  const time = { now: start }
  return { time, now: () => time.now }
}

t.test('a key is new once, then a replay until it expires (its expiry second included), then new again', async t => {
  const { time, now } = clock()
  const store = createMemoryReplayStore({ capacity: 10, now })
  t.equal(await store.remember('jkt:a', 1_310), true)
  t.equal(await store.remember('jkt:a', 1_310), false)
  t.equal(await store.remember('jkt:b', 1_310), true, 'another key is another proof')
  time.now = 1_310
  t.equal(await store.remember('jkt:a', 1_610), false, 'still acceptable at its expiry second, so still refused')
  time.now = 1_311
  t.equal(await store.remember('jkt:a', 1_621), true, 'forgotten once it expired')
  t.equal(await store.remember('jkt:a', 1_621), false, 'and remembered again with its new expiry')
})

t.test('a flood of 20,000 keys fills the memory and is refused; the victim\'s proof stays refused', async t => {
  const { time, now } = clock()
  const store = createMemoryReplayStore({ capacity: 10_000, now })
  t.equal(await store.remember('victim:captured', 1_310), true)
  let accepted = 0
  let full: ReplayStoreError | undefined
  for (let i = 0; i < 20_000; i++) {
    time.now = 1_000 + Math.floor(i / 1_000) // an attacker's 1,000 proofs a second
    try {
      if (await store.remember(`attacker:${i}`, time.now + 300)) accepted++
    } catch (err) {
      full = err as ReplayStoreError
    }
  }
  t.equal(accepted, 9_999, 'as many as fit beside the victim\'s')
  t.ok(full instanceof ReplayStoreError)
  t.equal(full?.code, 'replay_memory_full')
  t.equal(full?.retryAfterSeconds, 1_310 - 1_019 + 1, 'until the oldest key (the victim\'s) expires')
  t.equal(await store.remember('victim:captured', 1_310), false, 'the captured proof is still a replay')
})

t.test('room comes back as keys expire, and the refused key was not remembered', async t => {
  const { time, now } = clock()
  const store = createMemoryReplayStore({ capacity: 2, now })
  await store.remember('a', 1_005)
  await store.remember('b', 1_010)
  await t.rejects(store.remember('c', 1_020), { code: 'replay_memory_full', retryAfterSeconds: 6 })
  time.now = 1_006
  t.equal(await store.remember('c', 1_020), true, '`a` expired: its place is free')
  t.equal(await store.remember('b', 1_010), false, '`b` has not expired')
  await t.rejects(store.remember('d', 1_020), { code: 'replay_memory_full', retryAfterSeconds: 5 })
})

t.test('a key that expired behind one that has not is forgotten all the same, its place too', async t => {
  const { time, now } = clock()
  const store = createMemoryReplayStore({ capacity: 2, now })
  await store.remember('long', 1_300)
  await store.remember('short', 1_005) // an older proof (iat near the window's start), inserted after
  time.now = 1_006
  t.equal(await store.remember('short', 1_306), true)
  t.equal(await store.remember('long', 1_300), false)
})

t.test('a capacity below one is refused at creation', async t => {
  t.throws(() => createMemoryReplayStore({ capacity: 0 }), RangeError)
  t.throws(() => createMemoryReplayStore({ capacity: Number.NaN }), RangeError)
})

t.test('from config, without a table: this process\'s memory, sized to window × rate', async t => {
  const store = createReplayStore({ region: 'us-east-1', windowSeconds: 2, proofsPerSecond: 1.5 })
  const expiry = Date.now() / 1000 + 60
  for (const key of ['a', 'b', 'c']) t.equal(await store.remember(key, expiry), true)
  await t.rejects(store.remember('d', expiry), { code: 'replay_memory_full' })
})
