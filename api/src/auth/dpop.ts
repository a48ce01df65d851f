/**
 * DPoP proofs (RFC 9449 §4.3), checked for one request: fast-jwt verifies the proof's signature with the
 * public key in its own header; node:crypto parses that key and computes its RFC 7638 thumbprint, which
 * the caller compares with the access token's `cnf.jkt`. No signature code of our own.
 *
 * What one process can promise about replay: a proof's `jti` is remembered until its `iat` leaves the
 * window, in a bounded map. Another process (another Lambda instance, another container) has its own map,
 * so a proof replayed to another instance within the window is not caught (RFC 9449 §11.1): the window and
 * `ath` (one token) and `htm`/`htu` (one endpoint) bound what such a replay can do.
 */
import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto'
import { createVerifier, type Algorithm, type DecodedJwt } from 'fast-jwt'

export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'RS256', 'EdDSA'] as const

/** The curve or key type each algorithm needs: fast-jwt alone would take a secp256k1 key for ES256. */
const KEY_FOR: Record<typeof DPOP_ALGORITHMS[number], { kty: string, crv?: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  PS256: { kty: 'RSA' },
  RS256: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' }
}
/** Members that only a private or symmetric key has (RFC 9449 §4.3 check 7: the `jwk` must be public). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']
/** RFC 7638 §3.2: the required members of each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x']
}

export class DpopError extends Error {
  override name = 'DpopError'
  /** Why, for the logs only. */
  constructor (readonly reason: string) { super('Invalid DPoP proof') }
}

interface DpopOptions {
  /** How old a proof's `iat` may be, in seconds. */
  maxAgeSeconds?: number
  /** How far in the future a proof's `iat` may be (clock skew), in seconds. */
  leewaySeconds?: number
  /** How many `jti`s one process remembers at most; the oldest go first. */
  maxRememberedProofs?: number
  /** The clock proofs' `iat` are checked against, in milliseconds (tests move it). */
  now?: () => number
}

interface ProofRequest {
  /** The `DPoP` header: one proof, never a list. */
  proof: string
  method: string
  /** The request's public URL, as the client saw it (scheme, host, path; query and fragment are ignored). */
  url: string
  accessToken: string
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')

/** RFC 7638 thumbprint of a public JWK, from the key node:crypto parsed (so its canonical members). */
export function jwkThumbprint (jwk: JsonWebKey): string {
  const exported = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'jwk' }) as Record<string, unknown>
  const members = THUMBPRINT_MEMBERS[String(exported.kty)]
  if (!members) throw new DpopError(`UNSUPPORTED_KTY ${String(exported.kty)}`)
  return sha256(JSON.stringify(Object.fromEntries(members.map(name => [name, exported[name]]))))
}

/**
 * A URL as DPoP compares it (RFC 9449 §4.3 check 9, with RFC 3986 §6.2.2-6.2.3 normalization): scheme and
 * host lower-cased, default port dropped, path percent-decoded, no query, no fragment. API Gateway's HTTP API
 * hands the path over decoded while browsers send `|` as `%7C`: both compare equal.
 */
export function normalizeHtu (url: string): string {
  const parsed = new URL(url)
  let path: string
  try {
    path = decodeURIComponent(parsed.pathname)
  } catch {
    path = parsed.pathname
  }
  return `${parsed.protocol}//${parsed.host}${path}`
}

export function createDpopVerifier ({
  maxAgeSeconds = 300, leewaySeconds = 5, maxRememberedProofs = 10_000, now: clock = Date.now
}: DpopOptions = {}) {
  /** jti → the second after which its proof is too old anyway, in insertion order (so oldest first). */
  const seen = new Map<string, number>()

  const verifyProof = createVerifier({
    algorithms: [...DPOP_ALGORITHMS] as Algorithm[],
    checkTyp: 'dpop+jwt',
    complete: true,
    requiredClaims: ['jti', 'htm', 'htu', 'iat', 'ath'],
    // The key is the proof's own: checked, then handed to fast-jwt as PEM (its key callback takes no KeyObject).
    key: async ({ header }: DecodedJwt) => publicPem(header.alg, header.jwk)
  })

  function remember (jti: string, iat: number, now: number) {
    for (const [oldJti, expires] of seen) {
      if (expires > now && seen.size < maxRememberedProofs) break
      seen.delete(oldJti)
    }
    if (seen.has(jti)) throw new DpopError('JTI_REPLAYED')
    seen.set(jti, iat + maxAgeSeconds + leewaySeconds)
  }

  /** Checks the proof for this request and token; returns the thumbprint of its key, for `cnf.jkt`. */
  async function verify ({ proof, method, url, accessToken }: ProofRequest): Promise<string> {
    let decoded: { header: Record<string, any>, payload: Record<string, unknown> }
    try {
      decoded = await verifyProof(proof)
    } catch (err) {
      // fast-jwt wraps what the key callback threw (a DpopError saying what is wrong with the key).
      const { originalError, code } = err as { originalError?: unknown, code?: string }
      if (originalError instanceof DpopError) throw originalError
      throw new DpopError(code ?? 'PROOF_INVALID')
    }
    const { header, payload: { jti, htm, htu, iat, ath } } = decoded
    if (typeof jti !== 'string' || jti.length < 8 || jti.length > 256) throw new DpopError('JTI_INVALID')
    if (typeof iat !== 'number') throw new DpopError('IAT_INVALID')
    const now = Math.floor(clock() / 1000)
    if (iat < now - maxAgeSeconds || iat > now + leewaySeconds) throw new DpopError('IAT_OUTSIDE_WINDOW')
    if (htm !== method) throw new DpopError('HTM_MISMATCH')
    const parsable = typeof htu === 'string' && URL.canParse(htu) && URL.canParse(url)
    if (!parsable || normalizeHtu(htu) !== normalizeHtu(url)) {
      throw new DpopError('HTU_MISMATCH')
    }
    if (ath !== sha256(accessToken)) throw new DpopError('ATH_MISMATCH')
    const thumbprint = jwkThumbprint(header.jwk)
    remember(`${thumbprint}:${jti}`, iat, now)
    return thumbprint
  }

  return { verify }
}

function publicPem (alg: unknown, jwk: unknown): string {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new DpopError('JWK_MISSING')
  const key = jwk as Record<string, unknown>
  if (PRIVATE_MEMBERS.some(member => member in key)) throw new DpopError('JWK_NOT_PUBLIC')
  const wanted = KEY_FOR[alg as keyof typeof KEY_FOR]
  if (!wanted || key.kty !== wanted.kty || (wanted.crv && key.crv !== wanted.crv)) {
    throw new DpopError('JWK_ALG_MISMATCH')
  }
  try {
    const publicKey = createPublicKey({ key: key as JsonWebKey, format: 'jwk' })
    if (wanted.kty === 'RSA' && (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
      throw new DpopError('RSA_KEY_TOO_SHORT')
    }
    return publicKey.export({ type: 'spki', format: 'pem' }).toString()
  } catch (err) {
    if (err instanceof DpopError) throw err
    throw new DpopError('JWK_INVALID')
  }
}
