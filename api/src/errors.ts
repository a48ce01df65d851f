// Renamed: template.yaml's banner declares createRequire at the top of the bundle.
import { createRequire as requireFrom } from 'node:module'

/**
 * Node's status texts, required rather than imported: an ESM import of node:http makes Node 22 build the module's
 * ESM facade, which reads every export, lazy ones too (http.WebSocket loads all of undici): ~10-30 ms of CPU on
 * every Lambda cold start (npm run bench:cold; test/lambda-bundle.test.ts keeps the import out of the bundle).
 */
export const { STATUS_CODES } = requireFrom(import.meta.url)('node:http') as typeof import('node:http')

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
