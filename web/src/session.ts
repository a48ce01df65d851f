import type { User } from '@auth0/auth0-spa-js'
import type { AuthClient } from './auth.js'

/** Who is signed in, read once at start-up: the header and the guard read the same answer. */
export interface Session { isAuthenticated: boolean, user: User | undefined }

export async function readSession (auth: AuthClient): Promise<Session> {
  const isAuthenticated = await auth.isAuthenticated()
  return { isAuthenticated, user: isAuthenticated ? await auth.getUser() : undefined }
}
