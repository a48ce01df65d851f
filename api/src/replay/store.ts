/**
 * The DPoP replay memory (RFC 9449 §11.1): a set of keys (`<jkt>:<jti>`), each kept until the second its proof
 * can no longer be accepted anyway. Two stores keep it: one process's memory (memory.ts) or a DynamoDB table that
 * every instance shares (dynamodb.ts). Neither ever forgets an unexpired key to make room: when it cannot
 * remember, it refuses, and the caller refuses the proof.
 */
export interface ReplayStore {
  /**
   * Records `key` until `expiresAtSeconds` (Unix seconds, inclusive): true the first time, false for a key
   * recorded before and not yet expired (a replay). Rejects with a ReplayStoreError when it can answer neither.
   */
  remember (key: string, expiresAtSeconds: number): Promise<boolean>
  close? (): Promise<void>
}

export const REPLAY_ERRORS = {
  /** The memory holds as many unexpired keys as it may: one more would mean forgetting one. */
  FULL: 'replay_memory_full',
  /** The shared store did not answer (refused, timed out, throttled, failed): nothing was recorded. */
  UNAVAILABLE: 'replay_store_unavailable'
} as const

/**
 * Why a proof could be neither accepted nor refused as a replay. It knows no HTTP: the caller answers it with a
 * 503 whose `Retry-After` is `retryAfterSeconds`, and logs `upstream` (never upstream text).
 */
export class ReplayStoreError extends Error {
  override name = 'ReplayStoreError'
  constructor (
    readonly code: typeof REPLAY_ERRORS[keyof typeof REPLAY_ERRORS],
    /** When trying again may succeed: the next key to expire, or a short pause for the store. */
    readonly retryAfterSeconds: number,
    /** For the log: the SDK error's name (or network code), AWS request id and HTTP status. */
    readonly upstream?: { name: string, requestId?: string, httpStatus?: number }
  ) {
    super(code === REPLAY_ERRORS.FULL ? 'DPoP replay memory is full' : 'DPoP replay store is unavailable')
  }
}

/** The default clock: Unix time in seconds. */
export const unixSeconds = () => Date.now() / 1000
