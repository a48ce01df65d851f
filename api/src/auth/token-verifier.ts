/**
 * Verifies Auth0 access tokens with fast-jwt against the issuer's key set (key-set.ts): RS256 only, exact
 * `iss` and `aud`, `exp`/`nbf` with a small tolerance, and `sub`. Each key is parsed once by node:crypto into
 * its own fast-jwt verifier. Throws an AuthError `invalid_token` (reason: what was wrong, for the logs), or
 * the key set's `jwks_unavailable`.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto'
import { createDecoder, createVerifier } from 'fast-jwt'
import { AuthError } from './errors.js'
import { createKeySet, reasonOf, type KeySetOptions } from './key-set.js'

export type Claims = Record<string, unknown> & { sub: string }

export interface TokenVerifierOptions extends Omit<KeySetOptions<unknown>, 'prepare' | 'jwksUri'> {
  /** Exact `iss`, with its trailing slash, e.g. `https://tenant.auth0.com/`. */
  issuer: string
  audience: string
  /** The JWKS URL, when the API reaches the issuer at another address than `<issuer>.well-known/jwks.json`. */
  jwksUri?: string
  clockToleranceMs?: number
  /** Tokens issued longer ago are refused whatever their `exp`: Auth0's longest access-token lifetime. */
  maxTokenAgeMs?: number
}

type Verify = (token: string) => Claims
const THIRTY_DAYS_MS = 30 * 24 * 3600_000

export function createTokenVerifier (options: TokenVerifierOptions) {
  const { issuer, audience, clockToleranceMs = 5_000, maxTokenAgeMs = THIRTY_DAYS_MS, ...keySetOptions } = options
  const decode = createDecoder({ complete: true })
  const keySet = createKeySet<Verify>({
    ...keySetOptions,
    jwksUri: options.jwksUri ?? `${issuer}.well-known/jwks.json`,
    prepare: (key: JsonWebKey) => createVerifier({
      key: createPublicKey({ key, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString(),
      algorithms: ['RS256'],
      allowedIss: issuer,
      allowedAud: audience,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub'],
      clockTolerance: clockToleranceMs,
      maxAge: maxTokenAgeMs
    }) as Verify
  })
  const invalid = (reason: string) => new AuthError('invalid_token', reason)

  return {
    async verify (token: string): Promise<Claims> {
      let kid: unknown
      try {
        kid = decode(token).header.kid
      } catch (err) {
        throw invalid(reasonOf(err))
      }
      if (typeof kid !== 'string' || kid === '') throw invalid('MISSING_KID')
      const verify = await keySet.get(kid)
      if (!verify) throw invalid('JWK_NOT_FOUND')
      let claims: Claims
      try {
        claims = verify(token)
      } catch (err) {
        throw invalid(reasonOf(err))
      }
      // fast-jwt checks `nbf` and `exp` but not an `iat` in the future.
      if ((claims.iat as number) * 1000 > Date.now() + clockToleranceMs) throw invalid('IAT_IN_THE_FUTURE')
      if (typeof claims.sub !== 'string' || claims.sub === '') throw invalid('INVALID_SUB')
      return claims
    },
    close: keySet.close
  }
}
