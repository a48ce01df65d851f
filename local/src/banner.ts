/**
 * What `npm start` prints once everything answers: where each part runs, the API's routes and, with the
 * stand-ins, the demo users with their Auth0 `sub` (what "Look up a user" asks for).
 */
import { DEFAULT_PORTS } from './stack.js'
import { USERS } from './users.js'

/**
 * The API's routes, as a newcomer reads them in the banner. e2e/test/routes.test.ts fails when the app has
 * a route this list misses (or the other way round), so a new route is added here too.
 */
export const ROUTES: Array<[route: string, what: string]> = [
  ['GET /health', 'no token'],
  ['GET /me', 'the caller and their federated Cognito user'],
  ['GET /users/:sub', 'another user\'s federated Cognito user; needs read:users'],
  ['GET /aws/whoami', 'who AWS says you are; SigV4 with identity-pool credentials']
]

interface BannerOptions {
  urls: { spa: string, api: string, idp: string }
  /** Given when the stand-ins run: cognito-local's endpoint and the pool it holds. */
  cognito?: { endpoint: string, poolId: string }
  /** Given when the AWS stand-ins run: the identity pool's endpoint and id, and the IAM gateway's URL. */
  aws?: { identityEndpoint: string, identityPoolId: string, gateway: string }
}

const column = (label: string) => `  ${label.padEnd(13)}`

/** The banner's text, without a trailing newline. */
export function banner ({ urls, cognito, aws }: BannerOptions): string {
  const routes = ROUTES.map(([route, what]) => `${column('')}  ${route.padEnd(16)} ${what}`)
  const lines = [
    '',
    `${column('App')}${urls.spa}`,
    `${column('API')}${urls.api}`,
    ...routes,
    `${column('Auth0')}${urls.idp}${cognito ? '  (local stand-in)' : ''}`
  ]
  if (cognito) {
    lines.push(`${column('Cognito')}${cognito.endpoint}  (cognito-local, pool ${cognito.poolId})`,
      `${column('DynamoDB')}http://127.0.0.1:${DEFAULT_PORTS.dynamodb}  (dynalite: the DPoP replay table)`)
    if (aws) {
      lines.push(`${column('ID pool')}${aws.identityEndpoint}  (${aws.identityPoolId})`)
      lines.push(`${column('IAM gateway')}${aws.gateway}  (API Gateway's IAM authorization: GET /aws/whoami)`)
    }
    lines.push('')
    lines.push(`${column('Demo users')}email / password, then Auth0 sub (what "Look up a user" takes)`)
    for (const user of USERS) {
      const cognitoUser = user.federated
        ? 'has a federated Cognito user'
        : 'no Cognito user yet: federated_user is null'
      const may = user.permissions.length > 0 ? `may ${user.permissions.join(', ')}` : 'no permission'
      lines.push(`    ${`${user.email} / ${user.password}`.padEnd(38)} ${user.sub}`)
      lines.push(`      ${cognitoUser}; ${may}`)
    }
  }
  lines.push('', 'Press Ctrl-C to stop.')
  return lines.join('\n')
}
