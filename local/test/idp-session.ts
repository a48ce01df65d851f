/**
 * Signs in at the stand-in the way a browser does (authorize, login form, resume), with only fetch and a cookie jar,
 * and exchanges the code at /oauth/token: what the refresh-token tests start from.
 */
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto'

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'

export interface Client { origin: string, clientId: string, appOrigin: string, audience: string }

/** A DPoP key of the caller's (ES256, as auth0-spa-js) and proofs made with it for `url`. */
export function dpopKey () {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' })
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return (url: string) => {
    const input = `${part({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })}.${part({
      htm: 'POST', htu: url, iat: Math.floor(Date.now() / 1000), jti: randomUUID()
    })}`
    return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
      .toString('base64url')}`
  }
}

/** POSTs a form to /oauth/token (with a DPoP proof from `proof` if given) and returns status and JSON. */
export async function tokenRequest (
  client: Client, form: Record<string, string>, proof?: (url: string) => string
) {
  const url = `${client.origin}/oauth/token`
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(proof && { dpop: proof(url) }) },
    body: new URLSearchParams({ client_id: client.clientId, ...form })
  })
  return { status: res.status, body: await res.json() as Record<string, any> }
}

export const refresh = (client: Client, refreshToken: string, proof?: (url: string) => string) =>
  tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, proof)

/** Logs `user` in with `scope` and returns the token response of the code exchange. */
export async function signIn (
  client: Client, user: { email: string, password: string }, scope: string, proof?: (url: string) => string
) {
  const jar = new Map<string, string>()
  const go = async (url: string | URL, init: RequestInit = {}) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } })
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';')
      const at = pair!.indexOf('=')
      jar.set(pair!.slice(0, at), pair!.slice(at + 1))
    }
    return new URL(res.headers.get('location') ?? '', client.origin)
  }
  const redirectUri = `${client.appOrigin}/callback`
  const query = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    audience: client.audience,
    state: 's',
    code_challenge: createHash('sha256').update(VERIFIER).digest('base64url'),
    code_challenge_method: 'S256'
  })
  const interaction = await go(`${client.origin}/authorize?${query}`)
  const resume = await go(`${interaction}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: user.email, password: user.password })
  })
  const callback = await go(resume)
  const code = callback.searchParams.get('code')
  if (!code) throw new Error(`no code: ${callback}`)
  return tokenRequest(client, {
    grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: VERIFIER
  }, proof)
}
