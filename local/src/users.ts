/**
 * Demo users of the local identity provider. Alice has signed in through Cognito before (the
 * emulator holds her federated user); Bob has not, so /me shows `federated_user: null` for him.
 * Alice holds `read:users`, as an Auth0 role would give her; Bob holds no permission.
 * The one list: the identity provider, the Cognito seed, `npm start`'s banner and the browser tests read it, and
 * e2e/test/docs.test.ts holds the README's demo-user table (logins and subs) to it.
 */
interface DemoUser {
  sub: string
  email: string
  password: string
  name: string
  nickname: string
  picture: string
  federated: boolean
  /** The access token's `permissions` claim (Auth0 RBAC with "Add Permissions in the Access Token"). */
  permissions: string[]
}

const avatar = (initial: string, color: string) => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">' +
    `<rect width="64" height="64" fill="${color}"/>` +
    `<text x="32" y="42" font-size="30" text-anchor="middle" fill="#fff" font-family="sans-serif">${initial}</text>` +
    '</svg>'
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}

export const USERS: DemoUser[] = [
  {
    sub: 'auth0|6523a1f0c0ffee0000a11ce0',
    email: 'alice@example.com',
    password: 'alice-demo-pass',
    name: 'Alice Example',
    nickname: 'alice',
    picture: avatar('A', '#3858e9'),
    federated: true,
    permissions: ['read:users']
  },
  {
    sub: 'auth0|6523a1f0c0ffee0000b0b000',
    email: 'bob@example.com',
    password: 'bob-demo-pass',
    name: 'Bob Example',
    nickname: 'bob',
    picture: avatar('B', '#2f9e6e'),
    federated: false,
    permissions: []
  }
]

export function findUser (email: string, password: string): DemoUser | undefined {
  return USERS.find(user => user.email === email.trim().toLowerCase() && user.password === password)
}
