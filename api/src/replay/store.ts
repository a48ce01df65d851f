import type { Upstream } from '../aws-sdk.js'
import { ApiError } from '../errors.js'

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

/**
 * Why a proof could be neither accepted nor refused as a replay: a 503 with `Retry-After` (errors.ts), logged
 * with `upstream` (never upstream text) by the error handler.
 */
export class ReplayStoreError extends ApiError {
  override name = 'ReplayStoreError'
  declare readonly code: 'replay_memory_full' | 'replay_store_unavailable'
  declare readonly retryAfterSeconds: number
  constructor (
    code: 'replay_memory_full' | 'replay_store_unavailable',
    /** When trying again may succeed: the next key to expire, or a short pause for the store. */
    retryAfterSeconds: number,
    /** For the log: the SDK error's name (or network code), AWS request id and HTTP status. */
    readonly upstream?: Upstream
  ) {
    super(code, { retryAfterSeconds, reason: upstream?.name })
  }
}

/** The default clock: Unix time in seconds. */
export const unixSeconds = () => Date.now() / 1000
