import { ApiError, type ApiErrorOptions, type ErrorCode } from '../errors.js'
import { DPOP_ALGORITHMS } from './dpop-key.js'

export type Scheme = 'Bearer' | 'DPoP'

type AuthCode = Extract<ErrorCode,
  'unauthorized' | 'invalid_token' | 'invalid_dpop_proof' | 'forbidden' | 'insufficient_scope'>

type AuthErrorOptions = Omit<ApiErrorOptions, 'reason'> & { scheme?: Scheme, scope?: string }

/**
 * A refused credential. It says in which scheme the client should be answered and, for `insufficient_scope`,
 * which permissions the route needs; the error handler turns that into the challenge (challengeFor).
 */
export class AuthError extends ApiError {
  override name = 'AuthError'
  /** Always given: what was wrong, for the logs. */
  declare readonly reason: string
  readonly scheme: Scheme
  readonly scope?: string
  constructor (code: AuthCode, reason: string, { scheme = 'Bearer', scope, ...options }: AuthErrorOptions = {}) {
    super(code, { reason, ...options })
    this.scheme = scheme
    this.scope = scope
  }
}

/**
 * The `WWW-Authenticate` challenge for a refused credential (RFC 6750 §3), in the scheme the client used. It names
 * the same error as the body; a request without credentials gets a bare one. `insufficient_scope` also names the
 * permissions the route needs, and a DPoP challenge lists the proof algorithms the API takes (RFC 9449 §7.1).
 * `forbidden` has none: the token is fine, the route is not for it.
 */
export function challengeFor ({ code, message, scheme, scope }: AuthError): string | undefined {
  if (code === 'forbidden') return undefined
  const params = code === 'unauthorized' ? [] : [`error="${code}"`, `error_description="${message}"`]
  if (scope) params.push(`scope="${scope}"`)
  if (scheme === 'DPoP') params.push(`algs="${DPOP_ALGORITHMS.join(' ')}"`)
  return params.length ? `${scheme} ${params.join(', ')}` : scheme
}
