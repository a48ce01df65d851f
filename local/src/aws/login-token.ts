/**
 * The checks Cognito makes on an OIDC provider's token in `Logins` (its developer guide, "OIDC providers"):
 * the signature, by a key of the issuer's JWKS (found through its discovery document); `iss` = `https://` +
 * the Logins key; `azp` when the token has one, else `aud`, = a client id the provider lists (the SPA's); not
 * expired, with 5 minutes of skew. Any failure is the caller's NotAuthorizedException.
 *
 * One departure, for the local IdP only: it is served over http on loopback, so a Logins key naming
 * localhost, 127.0.0.1 or [::1] (with a port) stands for `http://` + key. Any other key needs https.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose'

export class NotAuthorized extends Error {}

export interface LoginTokenOptions {
  /** The provider the pool trusts, as the Logins key names it: `tenant.eu.auth0.com`, locally `localhost:4000`. */
  loginKey: string
  /** The client ids the IAM OIDC provider lists: the SPA's. */
  clientIds: string[]
  now?: () => Date
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/
export const SKEW_SECONDS = 300

/** The issuer a Logins key stands for (see above). */
export const issuerFor = (loginKey: string) => `${LOOPBACK.test(loginKey) ? 'http' : 'https'}://${loginKey}`

export function createLoginTokenVerifier ({ loginKey, clientIds, now = () => new Date() }: LoginTokenOptions) {
  const issuer = issuerFor(loginKey)
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined
  async function keySet () {
    if (!keys) {
      const discovery = await fetch(`${issuer}/.well-known/openid-configuration`)
      if (!discovery.ok) throw new Error(`${issuer}: discovery answered ${discovery.status}`)
      const { jwks_uri: jwksUri } = await discovery.json() as { jwks_uri: string }
      keys = createRemoteJWKSet(new URL(jwksUri))
    }
    return keys
  }

  /** The token's claims, or NotAuthorized saying why (Cognito's messages are as terse). */
  return async function verify (key: string, token: string): Promise<JWTPayload & { sub: string, iss: string }> {
    if (key !== loginKey) throw new NotAuthorized('Token is not from a supported provider of this identity pool.')
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, await keySet(), {
        algorithms: ['RS256'],
        clockTolerance: SKEW_SECONDS,
        requiredClaims: ['exp', 'sub'],
        currentDate: now()
      }))
    } catch (err) {
      if (err instanceof Error && /discovery/.test(err.message)) throw err
      throw new NotAuthorized(`Invalid login token. ${(err as { code?: string }).code ?? 'Invalid token'}.`)
    }
    // Auth0 writes its issuer with a trailing slash: https://tenant.eu.auth0.com/
    if (payload.iss !== issuer && payload.iss !== `${issuer}/`) {
      throw new NotAuthorized("Invalid login token. Issuer doesn't match providerName")
    }
    const client = typeof payload.azp === 'string' ? payload.azp : payload.aud
    if (![client].flat().some(id => typeof id === 'string' && clientIds.includes(id))) {
      throw new NotAuthorized('Invalid login token. Incorrect token audience.')
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new NotAuthorized('Invalid login token.')
    return payload as JWTPayload & { sub: string, iss: string }
  }
}
