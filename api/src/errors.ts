import { STATUS_CODES } from 'node:http'

/** The body's `error` for a status with no code of its own: `not_found`, `payload_too_large`, `too_many_requests`. */
export const codeForStatus = (status: number) =>
  (STATUS_CODES[status] ?? 'Error').toLowerCase().replace(/[^a-z]+/g, '_')

/**
 * An answer the API gives on purpose: its status, a short `code` for the body's `error`, a message safe to
 * show, and what the client needs to go on: the `WWW-Authenticate` challenge, seconds for `Retry-After`.
 * The app's one error handler turns it into the reply; nothing else writes those headers.
 */
export class HttpError extends Error {
  constructor (
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: { challenge?: string, retryAfterSeconds?: number } = {}
  ) {
    super(message)
  }
}
