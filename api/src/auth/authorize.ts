import type { FastifyRequest } from 'fastify'
import { answerSchemeOf } from './authenticate.js'
import { AuthError } from './errors.js'
import type { Claims } from './token-verifier.js'

/**
 * What a route needs, declared in its own options: `config: { auth: ... }`. `'aws_iam'`: no Auth0 token, the
 * request was signed with AWS credentials and API Gateway's IAM authorization checked it (auth/aws-iam.ts).
 */
export type AuthRule = boolean | 'aws_iam' | {
  /** Let machine-to-machine tokens in (default: routes are for people; machines get 403). */
  machines?: boolean
  /** Permissions the token must hold, all of them: otherwise 403 insufficient_scope (RFC 6750 §3.1). */
  permissions?: readonly string[]
}

/** The rules that take an Auth0 token. */
export type TokenRule = Exclude<AuthRule, false | 'aws_iam'>

/**
 * Auth0 marks client-credentials tokens with `gty` (a string, or a list in some tokens: `["password"]`);
 * their `sub` is `<client id>@clients`. Compared case-insensitively: a token that says `Client-Credentials`
 * or `@CLIENTS` is a machine's too.
 */
const isMachineToken = (claims: Claims) =>
  [claims.gty].flat().some(gty => typeof gty === 'string' && gty.toLowerCase() === 'client-credentials') ||
  claims.sub.toLowerCase().endsWith('@clients')

/**
 * What the token may do: Auth0's `permissions` claim (RBAC on, with "Add Permissions in the Access Token").
 * `scope` counts only when the setting says the tenant puts permissions there, and the token has no
 * `permissions` claim: with RBAC off, Auth0 grants an application whatever scope it asks for. A `permissions`
 * claim that is not a list of strings grants nothing.
 * Matched exactly, never by prefix or pattern.
 */
function permissionsOf (claims: Claims, permissionsInScope: boolean): string[] {
  const { permissions, scope } = claims
  // A claim present is the whole answer: a list of strings, or else (malformed) nothing, whatever scope says.
  if (permissions !== undefined) {
    return Array.isArray(permissions) && permissions.every(p => typeof p === 'string') ? permissions : []
  }
  return permissionsInScope && typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []
}

/** Throws an AuthError (403) when the authenticated caller may not use a route with this rule. */
export function authorize (request: FastifyRequest, claims: Claims, rule: TokenRule,
  { permissionsInScope = false } = {}) {
  const { machines = false, permissions = [] } = rule === true ? {} : rule
  if (!machines && isMachineToken(claims)) {
    const message = 'This route is for users, not machine-to-machine tokens'
    throw new AuthError('forbidden', 'MACHINE_TOKEN', { message })
  }
  const held = permissionsOf(claims, permissionsInScope)
  const missing = permissions.filter(permission => !held.includes(permission))
  if (missing.length > 0) {
    throw new AuthError('insufficient_scope', 'MISSING_PERMISSION', {
      message: `This token lacks the permission ${missing.join(', ')}`,
      scope: permissions.join(' '),
      // Answered in the scheme the token came in, as every other auth error.
      scheme: answerSchemeOf(request)
    })
  }
}
