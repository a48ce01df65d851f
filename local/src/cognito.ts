/**
 * A Cognito user pool emulator: cognito-local speaks the real AWS JSON protocol and error names,
 * and the API reaches it only through the SDK's AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER.
 * Seeded with a pool (AWS-shaped id) and the federated user Cognito would have created at
 * Alice's first sign-in through it; Bob has none yet.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { USERS } from './users.js'
import { stopChild, waitForReady, watch } from './process.js'

interface CognitoOptions {
  port: number
  host?: string
  region: string
  userPoolId: string
  providerName: string
}

function seedUserPool ({ region, userPoolId, providerName }: Omit<CognitoOptions, 'port'>) {
  const now = new Date('2026-01-15T09:30:00Z').toISOString()
  const users = Object.fromEntries(USERS.filter(user => user.federated).map((user, i) => {
    const username = `${providerName}_${user.sub}`
    const identity = {
      userId: user.sub,
      providerName,
      providerType: 'OIDC',
      issuer: null,
      primary: true,
      dateCreated: Date.parse(now)
    }
    return [username, {
      Username: username,
      Password: '',
      Enabled: true,
      UserStatus: 'EXTERNAL_PROVIDER',
      UserCreateDate: now,
      UserLastModifiedDate: now,
      RefreshTokens: [],
      Attributes: [
        { Name: 'sub', Value: `8f1c2d3e-0000-4000-8000-00000000000${i + 1}` },
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: user.name },
        { Name: 'identities', Value: JSON.stringify([identity]) }
      ]
    }]
  }))
  return {
    Options: {
      Id: userPoolId,
      Name: 'auth0-federated-pool',
      Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${userPoolId}`,
      // Federated usernames (Auth0_auth0|…) are neither emails nor phone numbers.
      UsernameAttributes: [],
      CreationDate: now,
      LastModifiedDate: now
    },
    Users: users
  }
}

export async function startCognito (options: CognitoOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-local-'))
  mkdirSync(join(dir, '.cognito', 'db'), { recursive: true })
  writeFileSync(join(dir, '.cognito', 'config.json'), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }))
  const seedFile = join(dir, '.cognito', 'db', `${options.userPoolId}.json`)
  writeFileSync(seedFile, JSON.stringify(seedUserPool(options), null, 2))

  const bin = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js')
  const host = options.host ?? '127.0.0.1'
  const { child, exited } = watch('cognito-local (the Cognito stand-in)', spawn(process.execPath, [bin], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: String(options.port),
      HOST: host,
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1'
    },
    stdio: ['ignore', 'ignore', 'pipe']
  }))
  const endpoint = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${options.port}`
  try {
    // cognito-local answers a bare GET with 404 once it listens.
    await waitForReady(endpoint, { child, exited })
  } catch (err) {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return {
    endpoint,
    /** Resolves, with a report naming it and its last lines, when the emulator exits. */
    exited,
    async close () {
      await stopChild(child)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
