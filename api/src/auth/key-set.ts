/**
 * The issuer's key set (JWKS), fetched and kept whole, the way jose's createRemoteJWKSet does.
 *
 * Why not get-jwks, which the design brief named (measured on get-jwks 11):
 * - it caches per kid and refetches the whole set for every unknown kid, with no limit: a flood of made-up kids
 *   keeps it refetching, and a cooldown put in front of it would lock out a key the issuer has just rotated in;
 * - it passes `{ timeout }` to Node's fetch, which ignores it: a hanging issuer hangs every request;
 * - it follows redirects;
 * - its jwk-to-pem adds ~137 KB of elliptic/bn.js to the Lambda bundle (node:crypto reads a JWK itself).
 *
 * - Fetched: only from the configured JWKS URL (never from anything a token names: `jku`, `x5u`, `jwk`),
 *   by one request at a time, with a total timeout, no redirects.
 * - Kept: every fetch replaces the whole set with all of its RS256 signing keys, each prepared once.
 *   A key stays usable while it is in the last set fetched.
 * - Refreshed: a set older than `keyTtlMs` is fetched again before use; a kid that is not in the set
 *   triggers a fetch too. At most one fetch per `cooldownMs`, counted from the last attempt, whatever kids
 *   arrive: a flood of made-up kids costs the issuer one fetch per cooldown, and a key the issuer publishes
 *   is found within one cooldown.
 * - Unreachable issuer: the keys already known keep working (the retry goes on behind them); a kid that needs
 *   the set gets a KeySetError until the cooldown ends.
 * @see https://github.com/panva/jose/blob/main/docs/jwks/remote/functions/createRemoteJWKSet.md
 */
import type { JsonWebKey } from 'node:crypto'
import { ApiError } from '../errors.js'

export interface KeySetOptions<T> {
  jwksUri: string
  /** Turns one RS256 signing key into what the caller verifies with; called once per key per fetch. */
  prepare: (jwk: JsonWebKey) => T
  /** How long a fetched key set is used before it is fetched again. */
  keyTtlMs?: number
  /** The least time between two fetches of the key set. */
  cooldownMs?: number
  /** Total time a fetch may take: connect, headers and body. */
  timeoutMs?: number
  /** The clock the TTL and the cooldown are counted on (tests move it). */
  now?: () => number
}

/** Auth0 publishes two or three keys; a set of more is cut, so memory stays bounded. */
const MAX_KEYS = 16

export function createKeySet<T> (options: KeySetOptions<T>) {
  const { jwksUri, prepare, keyTtlMs = 10 * 60_000, cooldownMs = 30_000, timeoutMs = 2_000, now = Date.now } = options
  let keys = new Map<string, T>()
  let fetchedAt = Number.NEGATIVE_INFINITY
  let attemptedAt = Number.NEGATIVE_INFINITY
  let lastFailure: ApiError | undefined
  let pending: Promise<void> | undefined
  const closed = new AbortController()

  async function fetchKeys (): Promise<Map<string, T>> {
    // A timer of our own, not AbortSignal.any([.., AbortSignal.timeout()]): Node may garbage-collect a timeout
    // signal inside a composite one before it fires (nodejs/node#57736), and the fetch then never ends.
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(new DOMException('JWKS fetch timed out', 'TimeoutError')), timeoutMs)
    const onClose = () => abort.abort(closed.signal.reason)
    closed.signal.addEventListener('abort', onClose, { once: true })
    let body: { keys?: unknown }
    try {
      const { signal } = abort
      const response = await fetch(jwksUri, { signal, redirect: 'error', headers: { accept: 'application/json' } })
      if (!response.ok) throw failure(`JWKS_HTTP_${response.status}`)
      body = await response.json() as { keys?: unknown }
    } finally {
      clearTimeout(timer)
      closed.signal.removeEventListener('abort', onClose)
    }
    if (!Array.isArray(body.keys)) throw failure('JWKS_MALFORMED')
    const next = new Map<string, T>()
    for (const jwk of body.keys as Array<JsonWebKey & { kid?: unknown, use?: unknown }>) {
      try {
        const signing = (jwk.use ?? 'sig') === 'sig' && (jwk.alg ?? 'RS256') === 'RS256'
        if (!signing || typeof jwk.kid !== 'string' || jwk.kid === '' || next.size === MAX_KEYS) continue
        // A key that is not RSA (EC, OKP, oct) fails here too: `prepare` refuses it for RS256.
        next.set(jwk.kid, prepare(jwk))
      } catch {} // one unreadable key or junk entry (null) does not take the others down with it
    }
    if (next.size === 0) throw failure('JWKS_WITHOUT_SIGNING_KEYS')
    return next
  }

  /** One fetch at a time; its result replaces the whole set, its failure leaves the known keys in place. */
  function refresh (): Promise<void> {
    pending ??= (async () => {
      attemptedAt = now()
      try {
        keys = await fetchKeys()
        fetchedAt = now()
        lastFailure = undefined
      } catch (err) {
        const retryAfterSeconds = Math.ceil(cooldownMs / 1000)
        lastFailure = new ApiError('jwks_unavailable', { reason: reasonOf(err), retryAfterSeconds })
      } finally {
        pending = undefined
      }
    })()
    return pending
  }

  return {
    /**
     * The key for `kid`, or undefined when the issuer's fresh set lacks it (or it was asked less than a cooldown
     * ago). Throws an ApiError `jwks_unavailable` when the set is needed and the issuer could not be asked.
     */
    async get (kid: string): Promise<T | undefined> {
      const at = now()
      const stale = at - fetchedAt >= keyTtlMs
      const mayFetch = pending !== undefined || at - attemptedAt >= cooldownMs
      const known = keys.get(kid)
      // During an outage a known key answers at once and the retry goes on without the caller: only the
      // first request of an outage waits for a fetch to time out.
      if (known && stale && lastFailure) {
        if (mayFetch) refresh().catch(() => {})
        return known
      }
      if ((stale || !known) && mayFetch) await refresh()
      const key = keys.get(kid)
      if (key === undefined && lastFailure) throw lastFailure
      return key
    },
    /** Aborts a fetch in flight, so closing the app never waits on the issuer. */
    close: async () => closed.abort()
  }
}

export type KeySet<T> = ReturnType<typeof createKeySet<T>>

/** What a failed fetch is logged as (its `code`), next to Node's own network and timeout errors. */
const failure = (code: string) => Object.assign(new Error(code), { code })

export function reasonOf (err: unknown): string {
  const { code, name, cause } = err as { code?: unknown, name?: string, cause?: { code?: string } }
  // fast-jwt and Node's network errors carry a string code; an aborted fetch is a DOMException (TimeoutError).
  return typeof code === 'string' ? code : cause?.code ?? name ?? 'ERROR'
}
