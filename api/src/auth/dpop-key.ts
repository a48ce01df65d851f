/**
 * A DPoP proof's own key (RFC 9449 §4.3 checks 5-7). Its RFC 7638 thumbprint is compared with the token's
 * `cnf.jkt` first, from the JWK's members (a hash): a key the token is not bound to is never parsed and costs
 * no signature check. The bound key is parsed at most once (kept by thumbprint), held within bounds so that no
 * proof costs much more CPU than a normal one, and its one KeyObject checks the signature (node:crypto).
 */
import { constants, createHash, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto'

export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'RS256', 'EdDSA'] as const
export type DpopAlgorithm = typeof DPOP_ALGORITHMS[number]

/** The key type and curve each algorithm needs (an ES256 proof with a secp256k1 key is refused), and its hash. */
const KEY_FOR: Record<DpopAlgorithm, { kty: string, crv?: string, hash: string | null }> = {
  ES256: { kty: 'EC', crv: 'P-256', hash: 'sha256' },
  ES384: { kty: 'EC', crv: 'P-384', hash: 'sha384' },
  ES512: { kty: 'EC', crv: 'P-521', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256' },
  RS256: { kty: 'RSA', hash: 'sha256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', hash: null }
}
/** Members that only a private or symmetric key has (RFC 9449 §4.3 check 7: the `jwk` must be public). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']
/** RFC 7638 §3.2: the required members of each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x']
}
/**
 * RSA within bounds: the usual exponent only (a huge one costs 10-20x the CPU per signature check) and 2048-4096
 * bit moduli; 4096 bits is 683 base64url characters, so a longer `n` is refused before it is parsed.
 */
const RSA = { exponent: 65537n, minBits: 2048, maxBits: 4096, maxModulusChars: 683 }

export class DpopError extends Error {
  override name = 'DpopError'
  /** Why, for the logs only. */
  constructor (readonly reason: string) { super('Invalid DPoP proof') }
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')

/**
 * RFC 7638 thumbprint of a public JWK, from its required members as sent (so it is computed before the key is
 * parsed). Members that hash to the token's `cnf.jkt` are the very members the token was bound to.
 */
export function jwkThumbprint (jwk: Record<string, unknown>): string {
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)]
  if (!members || members.some(name => typeof jwk[name] !== 'string')) throw new DpopError('JWK_INVALID')
  return sha256(JSON.stringify(Object.fromEntries(members.map(name => [name, jwk[name]]))))
}

/** How many proof keys stay parsed: one per browser key seen lately (a key is ~1 kB in memory). */
const CACHED_KEYS = 1_000

/**
 * `keyFor(alg, jwk, jkt)`: the proof's `jwk` as a KeyObject, when it is public, fits `alg`, is the one the
 * token is bound to (`jkt`) and stays within bounds; else a DpopError. Keys that passed are kept parsed, by
 * thumbprint (only bound keys get there, so no one fills it with made-up keys): parsing a JWK costs more than
 * checking an ES256 signature.
 */
export function createProofKeys (capacity = CACHED_KEYS) {
  const parsed = new Map<string, KeyObject>()
  return function keyFor (alg: DpopAlgorithm, jwk: unknown, jkt: unknown): KeyObject {
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new DpopError('JWK_MISSING')
    const members = jwk as Record<string, unknown>
    if (PRIVATE_MEMBERS.some(member => member in members)) throw new DpopError('JWK_NOT_PUBLIC')
    const wanted = KEY_FOR[alg]
    if (members.kty !== wanted.kty || (wanted.crv && members.crv !== wanted.crv)) {
      throw new DpopError('JWK_ALG_MISMATCH')
    }
    const thumbprint = jwkThumbprint(members)
    if (thumbprint !== jkt) throw new DpopError('JKT_MISMATCH')
    let key = parsed.get(thumbprint)
    if (key) {
      parsed.delete(thumbprint) // to the back: the least recently used goes first
    } else {
      key = parseWithinBounds(wanted.kty, members)
      if (parsed.size >= capacity) parsed.delete(parsed.keys().next().value!)
    }
    parsed.set(thumbprint, key)
    return key
  }
}

function parseWithinBounds (kty: string, jwk: Record<string, unknown>): KeyObject {
  if (kty === 'RSA' && (jwk.n as string).length > RSA.maxModulusChars) throw new DpopError('RSA_KEY_OUT_OF_BOUNDS')
  let key: KeyObject
  try {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
  } catch {
    throw new DpopError('JWK_INVALID')
  }
  if (kty === 'RSA') {
    const { modulusLength = 0, publicExponent } = key.asymmetricKeyDetails ?? {}
    if (publicExponent !== RSA.exponent || modulusLength < RSA.minBits || modulusLength > RSA.maxBits) {
      throw new DpopError('RSA_KEY_OUT_OF_BOUNDS')
    }
  }
  return key
}

/** Checks a JWS signature (base64url) over `input` with the proof's key: RFC 7518 §3.3-3.5, RFC 8037. */
export function checkSignature (alg: DpopAlgorithm, key: KeyObject, input: string, signature: string) {
  let valid = false
  try {
    const options = alg.startsWith('ES')
      ? { key, dsaEncoding: 'ieee-p1363' as const } // JWS signs EC as r || s, not DER
      : alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key
    valid = verify(KEY_FOR[alg].hash, Buffer.from(input), options, Buffer.from(signature, 'base64url'))
  } catch {}
  if (!valid) throw new DpopError('INVALID_SIGNATURE')
}
