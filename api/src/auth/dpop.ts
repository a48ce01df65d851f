/**
 * DPoP proofs (RFC 9449 §4.3), checked for one request in the order that makes a refused proof cheap and
 * leaves no trace: the proof's key against the token's `cnf.jkt`, then its signature, then its claims, and only
 * then its `jti` in the replay memory. A proof signed by another key is refused before anything is remembered,
 * so a flood of made-up proofs cannot fill the memory (issue 17). fast-jwt decodes; node:crypto checks.
 *
 * The replay memory (replay/) is this process's own or a DynamoDB table every instance shares; either
 * remembers each `<jkt>:<jti>` until its proof is too old anyway, and refuses rather than forgets.
 */
import { createDecoder } from 'fast-jwt'
import type { ReplayStore } from '../replay/index.js'
import { checkSignature, createProofKeys, DPOP_ALGORITHMS, DpopError, sha256 } from './dpop-key.js'

export { DPOP_ALGORITHMS, DpopError, jwkThumbprint } from './dpop-key.js'

export interface DpopOptions {
  /** Where proofs seen are remembered (replay/index.ts createReplayStore). */
  replayStore: ReplayStore
  /** How old a proof's `iat` may be, in seconds. */
  maxAgeSeconds?: number
  /** How far in the future a proof's `iat` may be (clock skew), in seconds. */
  leewaySeconds?: number
  /** The clock proofs' `iat` are checked against, in milliseconds (tests move it). */
  now?: () => number
}

export interface ProofRequest {
  /** The `DPoP` header: one proof, never a list. */
  proof: string
  method: string
  /** The request's public URL, as the client saw it (scheme, host, path; query and fragment are ignored). */
  url: string
  accessToken: string
  /** The token's `cnf.jkt`: the thumbprint of the only key whose proofs count (undefined: none does). */
  jkt: unknown
}

const MAX_AGE_SECONDS = 300
const LEEWAY_SECONDS = 5
/**
 * The longest a proof's key must be remembered from the moment it is first seen: an `iat` up to the leeway
 * ahead, accepted until `iat` + max age, remembered to that + leeway. What sizes the in-process memory.
 */
export const DPOP_WINDOW_SECONDS = MAX_AGE_SECONDS + 2 * LEEWAY_SECONDS

const decode = createDecoder({ complete: true, checkTyp: 'dpop+jwt' })
const REQUIRED_CLAIMS = ['jti', 'htm', 'htu', 'iat', 'ath']

/** Scheme, authority (no userinfo, no backslash), path: what an http(s) URL has before its query. */
const URL_PARTS = /^(https?):\/\/([^/?#@\\]+)((?:\/[^?#]*)?)(?:[?#]|$)/i

/**
 * A URL as DPoP compares it (RFC 9449 §4.3 check 9), after RFC 3986 §6.2.2 normalization and nothing more:
 * scheme and host lower-cased, the default port dropped, percent-encoding normalized (unreserved characters
 * decoded, other escapes upper-cased, characters a URI cannot hold encoded: API Gateway hands a path over
 * decoded while browsers send `|` as `%7C`), query and fragment dropped. What that normalization would not
 * produce is refused (undefined): userinfo, backslashes, dot segments (`/x/../me`), a non-http(s) scheme.
 */
export function normalizeHtu (url: string): string | undefined {
  const [, scheme = '', authority = '', rawPath = ''] = URL_PARTS.exec(url) ?? []
  if (!authority || rawPath.includes('\\') || !URL.canParse(url)) return undefined
  const port = scheme.toLowerCase() === 'https' ? ':443' : ':80'
  const host = authority.toLowerCase().replace(new RegExp(`${port}$`), '')
  const path = (rawPath || '/').replace(/%[0-9a-f]{2}|[^\w\-.~!$&'()*+,;=:@/]/giu, piece => {
    if (piece.length === 3 && piece[0] === '%') {
      const char = String.fromCharCode(parseInt(piece.slice(1), 16))
      return /[\w\-.~]/.test(char) ? char : piece.toUpperCase()
    }
    return encodeURIComponent(piece)
  })
  if (path.split('/').some(segment => segment === '.' || segment === '..')) return undefined
  return `${scheme.toLowerCase()}://${host}${path}`
}

export function createDpopVerifier ({
  replayStore, maxAgeSeconds = MAX_AGE_SECONDS, leewaySeconds = LEEWAY_SECONDS, now: clock = Date.now
}: DpopOptions) {
  const keyFor = createProofKeys()

  /** Checks the proof for this request and this token's key, then remembers it: a second time, it is refused. */
  async function verify ({ proof, method, url, accessToken, jkt }: ProofRequest): Promise<void> {
    let decoded: { header: Record<string, unknown>, payload: Record<string, unknown>, signature: string, input: string }
    try {
      decoded = decode(proof)
    } catch (err) {
      throw new DpopError((err as { code?: string }).code ?? 'MALFORMED')
    }
    const { header, payload, signature, input } = decoded
    const alg = DPOP_ALGORITHMS.find(name => name === header.alg)
    if (!alg) throw new DpopError('ALG_NOT_ALLOWED')
    // The key's thumbprint first (a key the token is not bound to costs no signature check), then the
    // signature with the one KeyObject.
    checkSignature(alg, keyFor(alg, header.jwk, jkt), input, signature)

    const missing = REQUIRED_CLAIMS.find(claim => payload[claim] === undefined)
    if (missing) throw new DpopError(`MISSING_REQUIRED_CLAIM ${missing}`)
    const { jti, htm, htu, iat, ath } = payload
    if (typeof jti !== 'string' || jti.length < 8 || jti.length > 256) throw new DpopError('JTI_INVALID')
    if (typeof iat !== 'number') throw new DpopError('IAT_INVALID')
    const now = Math.floor(clock() / 1000)
    if (iat < now - maxAgeSeconds || iat > now + leewaySeconds) throw new DpopError('IAT_OUTSIDE_WINDOW')
    if (htm !== method) throw new DpopError('HTM_MISMATCH')
    const expected = normalizeHtu(url)
    if (typeof htu !== 'string' || !expected || normalizeHtu(htu) !== expected) throw new DpopError('HTU_MISMATCH')
    if (ath !== sha256(accessToken)) throw new DpopError('ATH_MISMATCH')
    // Last, once everything else holds: a ReplayStoreError (full, store down) goes on as the 503 it is.
    if (!await replayStore.remember(`${jkt}:${jti}`, iat + maxAgeSeconds + leewaySeconds)) {
      throw new DpopError('JTI_REPLAYED')
    }
  }

  return { verify, close: async () => replayStore.close?.() }
}
