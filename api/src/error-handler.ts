import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AuthError, challengeFor } from './auth/errors.js'
import { ANSWERS, ApiError, codeForStatus } from './errors.js'

/** The status an error is answered with: its code's (errors.ts), Fastify's own, or 500. */
function statusOf (err: FastifyError | ApiError): number {
  if (err instanceof ApiError) return ANSWERS[err.code].status
  const status = err.statusCode
  return status && status >= 400 && status < 600 ? status : 500
}

/**
 * The one place an error becomes a reply: every error (auth, key set, Cognito, validation, 404, Fastify's own)
 * leaves as `{ error, message }`. An ApiError brings its code and safe message, and from it come the status,
 * the `WWW-Authenticate` challenge (whose error is the body's) and `Retry-After`. Any other error gets the
 * code of its status, and from 500 on a masked message.
 */
export function handleError (err: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) {
  const status = statusOf(err)
  const { method, url } = request
  request.log[status >= 500 ? 'error' : 'info']({ err, request: { method, url } }, 'request failed')
  reply.code(status)
  if (err instanceof ApiError) {
    const challenge = err instanceof AuthError ? challengeFor(err) : undefined
    if (challenge) reply.header('www-authenticate', challenge)
    if (err.retryAfterSeconds) reply.header('retry-after', err.retryAfterSeconds)
    return reply.send({ error: err.code, message: err.message })
  }
  if (status >= 500) return reply.send({ error: 'internal_error', message: 'Internal Server Error' })
  return reply.send({ error: codeForStatus(status), message: err.message })
}
