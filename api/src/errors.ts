// Renamed: template.yaml's banner declares createRequire at the top of the bundle.
import { createRequire as requireFrom } from 'node:module'

/**
 * Node's status texts, required rather than imported: an ESM import of node:http makes Node 22 build the module's
 * ESM facade, which reads every export, lazy ones too (http.WebSocket loads all of undici): ~10-30 ms of CPU on
 * every Lambda cold start (npm run bench:cold; test/lambda-bundle.test.ts keeps the import out of the bundle).
 */
export const { STATUS_CODES } = requireFrom(import.meta.url)('node:http') as typeof import('node:http')

/**
 * The API's one list of the answers it gives on purpose: each code with its status and the message it shows.
 * Modules throw an ApiError naming a code; the error handler (error-handler.ts) alone turns it into a reply.
 * A new error is a row here and the line that throws it.
 */
export const ANSWERS = {
  bad_request: { status: 400, message: 'Bad Request' },
  /** No credentials at all: 401 with a bare challenge (RFC 6750 §3.1). */
  unauthorized: { status: 401, message: 'Missing bearer token' },
  /** The token is malformed, forged, expired, for someone else, or signed by a key we do not know. */
  invalid_token: { status: 401, message: 'Invalid access token' },
  /** A DPoP proof missing, malformed, or not for this request, key or token (RFC 9449 §7.1). */
  invalid_dpop_proof: { status: 401, message: 'Invalid DPoP proof' },
  /** A valid token that may not use this route (a machine token on /me, an application not allowed). */
  forbidden: { status: 403, message: 'This token may not call this route' },
  /** A valid token without a permission the route needs (RFC 6750 §3.1). */
  insufficient_scope: { status: 403, message: 'This token lacks a permission this route needs' },
  /**
   * An IAM-authorized route (`/aws/whoami`) reached without API Gateway's IAM authorization in front of it:
   * the HTTP server, or a Lambda event without an authorizer context. Never 200: nothing verified a signature.
   */
  aws_iam_required: {
    status: 403,
    message: "Served behind API Gateway's IAM authorization: call it through API Gateway, signed with SigV4"
  },
  not_found: { status: 404, message: 'Not Found' },
  /** Cognito failed: missing pool, bad credentials, 5xx, timeout, refused connection. */
  cognito_failed: { status: 502, message: 'Cognito request failed' },
  /** Cognito refused for rate: the caller may retry shortly. */
  cognito_throttled: { status: 503, message: 'Cognito is busy, retry shortly' },
  /** The issuer's key set cannot be fetched and no known key fits: our outage, not the caller's fault. */
  jwks_unavailable: { status: 503, message: 'Cannot verify access tokens right now' },
  /** The DPoP replay memory holds as many unexpired proofs as it may: one more would mean forgetting one. */
  replay_memory_full: { status: 503, message: 'Cannot accept DPoP proofs right now, retry shortly' },
  /** The shared replay store (DynamoDB) did not answer: nothing was recorded, the proof is not accepted. */
  replay_store_unavailable: { status: 503, message: 'Cannot accept DPoP proofs right now, retry shortly' }
} as const satisfies Record<string, { status: number, message: string }>

export type ErrorCode = keyof typeof ANSWERS

export interface ApiErrorOptions {
  /** Why, for the logs only (a fast-jwt code, an SDK error name, what was wrong with a proof). */
  reason?: string
  /** A message safe to show, instead of the code's own. */
  message?: string
  /** When the caller may try again, in seconds. */
  retryAfterSeconds?: number
}

/** An error a module throws on purpose. It names a code and knows nothing of HTTP: no status, no header. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly reason?: string
  readonly retryAfterSeconds?: number
  constructor (readonly code: ErrorCode, { reason, message, retryAfterSeconds }: ApiErrorOptions = {}) {
    super(message ?? ANSWERS[code].message)
    this.reason = reason
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** The body's `error` for a status with no code of its own: `not_found`, `payload_too_large`, `too_many_requests`. */
export const codeForStatus = (status: number) =>
  (STATUS_CODES[status] ?? 'Error').toLowerCase().replace(/[^a-z]+/g, '_')
