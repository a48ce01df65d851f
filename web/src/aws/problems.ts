import type { AwsProblem, AwsResult } from './lazy.js'

/** Why an answer cannot be given, carried up to `settle`. */
export class Problem extends Error {
  constructor (readonly result: AwsProblem) { super(result.kind) }
}

/** Cognito Identity's refusals (HTTP 400 `{ __type, message }`) in the panel's terms. */
export function cognitoRefusal (status: number, { __type: type, message }: Record<string, unknown>): AwsProblem {
  // JSON 1.1 may qualify the name (`com.amazonaws...#NotAuthorizedException`, or a `:<url>` suffix).
  const name = String(type ?? '').split('#').pop()!.split(':')[0]
  const text = typeof message === 'string' ? message : `HTTP ${status}`
  // With AmbiguousRoleResolution: Deny, a user no rule matches gets a NotAuthorizedException that says so.
  if (name === 'InvalidIdentityPoolConfigurationException' || (name === 'NotAuthorizedException' &&
    /role mapping|role resolution/i.test(text))) return { kind: 'no-role', message: text }
  if (name === 'NotAuthorizedException') return { kind: 'not-authorized', message: text }
  return { kind: 'failed', status, message: name ? `${name}: ${text}` : text }
}

/** `request`, with a failure of fetch itself (nothing answered) in words. */
export async function send (where: string, what: string, request: () => Promise<Response>) {
  try {
    return await request()
  } catch {
    throw new Problem({ kind: 'network', message: `${what} at ${where} cannot be reached. Is it running?` })
  }
}

/** The outcome of `work` as the panel takes it: an answer or a problem, never a throw. */
export async function settle<T> (work: () => Promise<T>): Promise<AwsResult<T>> {
  try {
    return { kind: 'ok', body: await work() }
  } catch (err) {
    if (err instanceof Problem) return err.result
    return { kind: 'failed', status: 0, message: (err as Error).message }
  }
}
