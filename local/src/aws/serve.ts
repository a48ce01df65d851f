/**
 * `npm start` runs this as a process of its own (stack.ts), in the API's environment: the identity pool
 * stand-in and the IAM gateway in front of the built Lambda handler, api/dist/lambda.js, which builds its app
 * from that environment as Lambda's init phase does.
 */
import { pathToFileURL } from 'node:url'
import { ROOT } from '../build.js'
import type { LambdaHandler } from './iam-gateway.js'
import { startAwsStandIns } from './index.js'

const { handler } = await import(pathToFileURL(`${ROOT}api/dist/lambda.js`).href) as { handler: LambdaHandler }
// Nothing printed here: stdout carries the handler's JSON log lines, as the API's does, and the banner has the URLs.
const standIns = await startAwsStandIns(process.env, handler, process.env.HOST)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { standIns.close().then(() => process.exit(0)) })
}
