/**
 * What the API's two AWS clients (Cognito, DynamoDB) share: the SDK loaded by the first call, never when the
 * app is built (it is most of the Lambda bundle, and every cold start, /health included, would pay for it; the
 * bundle keeps each SDK in a chunk of its own: esbuild's splitting, template.yaml), one client per process,
 * and what of an SDK error the logs may get.
 */

/**
 * A CommonJS package's exports from a dynamic import. Node gives them by name and as `default`; esbuild's chunk
 * for such a package (the Lambda bundle) gives only `default`, so its named exports are undefined there.
 */
export async function importCommonJs<T extends object> (module: Promise<T>): Promise<T> {
  const namespace = await module
  return (namespace as { default?: T }).default ?? namespace
}

interface SdkClient { send: (...args: any[]) => Promise<any>, destroy: () => void }

/** One SDK client, made by the first `send` (`connect` loads the SDK), destroyed with the app. */
export function lazyClient<C extends SdkClient> (connect: () => Promise<C>) {
  let client: Promise<C> | undefined
  const send = async (command: unknown) => {
    client ??= connect()
    return (await client).send(command)
  }
  return {
    send: send as C['send'],
    destroy: () => { client?.then(sdkClient => sdkClient.destroy(), () => {}) }
  }
}

/** What the logs get of an SDK error: its name (or a network failure's code), AWS request id, HTTP status. */
export interface Upstream { name: string, requestId?: string, httpStatus?: number }

export function upstreamOf (err: unknown): Upstream {
  const { name = 'Error', code, $metadata } = err as {
    name?: string, code?: string, $metadata?: { requestId?: string, httpStatusCode?: number }
  }
  // Network failures (ECONNREFUSED, ECONNRESET, timeouts) arrive as plain errors with a code, not as service
  // exceptions.
  const status = $metadata?.httpStatusCode
  return { name: name === 'Error' && code ? code : name, requestId: $metadata?.requestId, httpStatus: status }
}
