/**
 * The whole product on one machine: the local Auth0, Cognito and DynamoDB stand-ins, the built API and the
 * built SPA, wired only through URLs and environment variables, as the real services are.
 * Used by `npm start` (run.ts) and by the browser tests.
 */
import { spawn } from 'node:child_process'
import { ROOT } from './build.js'
import { startCognito } from './cognito.js'
import { startDynamoDb } from './dynamodb.js'
import { startNginx } from './nginx.js'
import { type Output, stopChild, waitForReady, watch } from './process.js'

// The builds live in build.ts; `npm start` and the tests know them from here.
export { build, buildSpa, ensureApi, ROOT } from './build.js'

interface Ports {
  idp: number
  api: number
  spa: number
  cognito: number
  dynamodb: number
  /** The identity pool stand-in and the IAM gateway (local/src/aws): without them, no identity pool at all. */
  identityPool?: number
  iamGateway?: number
}

/** dynamodb: dynalite's own default port (DynamoDB Local's, 8000, is the API's). */
export const DEFAULT_PORTS = {
  idp: 4000, api: 8000, spa: 3000, cognito: 9229, dynamodb: 4567, identityPool: 9230, iamGateway: 8001
}

/** The local configuration: every value the API and the SPA read, pointing at the stand-ins. */
export function localEnv (ports: Ports): Record<string, string> {
  const idp = `http://localhost:${ports.idp}`
  const api = `http://localhost:${ports.api}`
  const spa = `http://localhost:${ports.spa}`
  return {
    AUTH0_DOMAIN: idp,
    AUTH0_CLIENT_ID: 'local-spa-client',
    AUTH0_AUDIENCE: 'https://api.local.test',
    AUTH0_EMAIL_CLAIM: 'https://api.local.test/email',
    // The ID-token claim the identity pool's role rules read (template.yaml: IdentityPoolPermissionsClaim).
    AUTH0_PERMISSIONS_CLAIM: 'https://api.local.test/permissions',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    COGNITO_USER_POOL_ID: 'us-east-1_L0calP00l',
    COGNITO_AUTH0_PROVIDER_NAME: 'Auth0',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${ports.cognito}`,
    // The DPoP replay memory in a real DynamoDB implementation, shared as on AWS: a second API process on this
    // machine refuses the first one's proofs.
    DPOP_REPLAY_TABLE: 'dpop-replay',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
    BACKEND_PORT: String(ports.api),
    FRONTEND_PORT: String(ports.spa),
    BACKEND_BASE_URL: api,
    FRONTEND_ORIGIN: spa,
    VITE_AUTH0_DOMAIN: idp,
    VITE_AUTH0_CLIENT_ID: 'local-spa-client',
    VITE_AUTH0_AUDIENCE: 'https://api.local.test',
    VITE_AUTH0_REDIRECT_URI: `${spa}/callback`,
    VITE_BACKEND_BASE_URL: api,
    // The identity pool (local/src/aws): its stand-in, and the IAM gateway in front of the Lambda handler.
    ...ports.identityPool && ports.iamGateway
      ? {
          VITE_COGNITO_IDENTITY_POOL_ID: 'us-east-1:0ca1c0de-0000-4000-8000-000000000001',
          VITE_COGNITO_IDENTITY_ENDPOINT: `http://localhost:${ports.identityPool}/`,
          VITE_AWS_API_BASE_URL: `http://localhost:${ports.iamGateway}`
        }
      : {}
  }
}

export interface Stack {
  env: Record<string, string>
  urls: { spa: string, api: string, idp: string }
  stop: () => Promise<void>
  /** The report (name, exit code, last lines) of the first process to exit: before stop(), a failure. */
  exited: Promise<string>
}

/**
 * Starts the stand-ins, the API (`node api/dist/server.js`, the image's command) and the SPA
 * (`web/dist` through web/nginx.conf when `nginx` is given, else `vite preview`). Call build() first.
 * What the API and the SPA server print goes to `output` (ours by default).
 */
export async function startStack ({
  ports = DEFAULT_PORTS, webDist, serveWith = 'preview', standIns = true, env = localEnv(ports), output
}: {
  ports?: Ports
  webDist: string
  serveWith?: 'nginx' | 'preview'
  standIns?: boolean
  env?: Record<string, string>
  output?: Output
}): Promise<Stack> {
  const stops: Array<() => Promise<void>> = []
  const exits: Array<Promise<string>> = []
  const stop = async () => { for (const close of [...stops].reverse()) await close().catch(() => {}) }
  try {
    if (standIns) {
      // Loaded only here: a real run needs none of oidc-provider, which warns at import on Node 20.
      const { startIdp } = await import('./idp.js')
      const idp = await startIdp({
        port: ports.idp,
        origin: env.AUTH0_DOMAIN!,
        clientId: env.AUTH0_CLIENT_ID!,
        appOrigin: env.FRONTEND_ORIGIN!,
        audience: env.AUTH0_AUDIENCE!,
        emailClaim: env.AUTH0_EMAIL_CLAIM!,
        permissionsClaim: env.AUTH0_PERMISSIONS_CLAIM
      })
      stops.push(idp.close)
      const cognito = await startCognito({
        port: ports.cognito,
        region: env.AWS_REGION!,
        userPoolId: env.COGNITO_USER_POOL_ID!,
        providerName: env.COGNITO_AUTH0_PROVIDER_NAME!
      })
      stops.push(cognito.close)
      exits.push(cognito.exited)
      const dynamodb = await startDynamoDb({ port: ports.dynamodb, tableName: env.DPOP_REPLAY_TABLE! })
      stops.push(dynamodb.close)
    }

    const api = watch('The API (node api/dist/server.js)', spawn(process.execPath, ['dist/server.js'], {
      cwd: `${ROOT}api`,
      // The caller's environment too: HOME and AWS_PROFILE let the SDK find real credentials. LOG_LEVEL is the
      // API's own default (info, one line per request) unless one of them sets it, with the stand-ins as without.
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    }), output)
    exits.push(api.exited)
    stops.push(() => stopChild(api.child))
    await waitForReady(`http://127.0.0.1:${ports.api}/health`, api)

    if (standIns && env.VITE_AWS_API_BASE_URL) {
      // The identity pool and API Gateway's IAM authorization, in front of the handler Lambda runs (api/dist).
      const command = ['--import', 'tsx', 'src/aws/serve.ts']
      const aws = watch('The AWS stand-ins (local/src/aws)', spawn(process.execPath, command, {
        cwd: `${ROOT}local`,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe']
      }), output)
      exits.push(aws.exited)
      stops.push(() => stopChild(aws.child))
      await waitForReady(`${env.VITE_AWS_API_BASE_URL.replace('localhost', '127.0.0.1')}/`, aws)
    }

    if (serveWith === 'nginx') {
      const nginx = await startNginx(webDist, ports.spa)
      stops.push(nginx.close)
    } else {
      const args = ['--workspace', 'web', 'vite', 'preview', '--outDir', webDist]
      args.push('--port', String(ports.spa), '--strictPort', '--host', '127.0.0.1')
      const preview = watch('The SPA server (vite preview)', spawn('npx', args, {
        cwd: ROOT,
        env: { ...process.env, ...env },
        // Errors only: its banner points at 127.0.0.1, but the app is opened on localhost (see idp.ts: same-site).
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true
      }), output)
      exits.push(preview.exited)
      // npx starts vite as a grandchild: stop the whole process group.
      stops.push(() => stopChild(preview.child, 5_000, -preview.child.pid!))
      await waitForReady(`http://127.0.0.1:${ports.spa}/`, preview)
    }
  } catch (err) {
    await stop()
    throw err
  }
  return {
    env,
    urls: { spa: env.FRONTEND_ORIGIN!, api: env.BACKEND_BASE_URL!, idp: env.AUTH0_DOMAIN! },
    stop,
    exited: Promise.race(exits)
  }
}
