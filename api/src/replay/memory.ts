import { ReplayStoreError, unixSeconds, type ReplayStore } from './store.js'

interface MemoryOptions {
  /**
   * How many keys it holds at most. Every key lives at most one acceptance window W (see below), so
   * `capacity = W × the proofs per second one process must take` never refuses that rate: with W = 310 s
   * (300 s + 2 × 5 s leeway) and 300 proofs/s, 93,000 keys.
   */
  capacity: number
  /** Unix time in seconds (tests inject their own clock). */
  now?: () => number
}

/**
 * One process's replay memory: never forgets a key before it expires, and refuses (ReplayStoreError FULL, with
 * the seconds until the oldest key goes) when full, rather than make room: a flood of proofs must not flush
 * a captured one out (issue 17).
 *
 * Keys are kept in insertion order and dropped from the front once expired, so each call costs O(1) amortised.
 * Callers insert in roughly expiry order: a key inserted at t expires by t + W, W the acceptance window, its
 * expiry at most W ahead. An expired key behind an unexpired one waits for it, but never beyond t + W, so a key
 * holds a place for at most W seconds whatever expiries the caller mixes: that is what sizes `capacity`.
 */
export function createMemoryReplayStore ({ capacity, now = unixSeconds }: MemoryOptions): ReplayStore {
  if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1')
  /** key → its expiry (Unix seconds), in insertion order. */
  const keys = new Map<string, number>()

  async function remember (key: string, expiresAtSeconds: number): Promise<boolean> {
    const time = now()
    for (const [oldest, expiresAt] of keys) {
      if (expiresAt >= time) break
      keys.delete(oldest)
    }
    const known = keys.get(key)
    if (known !== undefined && known >= time) return false
    // A key that expired but waits behind an unexpired one is forgotten: it takes its new place at the end.
    keys.delete(key)
    if (keys.size >= capacity) {
      // The oldest key goes the first second past its expiry: come back then.
      const oldestExpiry = keys.values().next().value!
      throw new ReplayStoreError('replay_memory_full', Math.floor(oldestExpiry - time) + 1)
    }
    keys.set(key, expiresAtSeconds)
    return true
  }

  return { remember }
}
