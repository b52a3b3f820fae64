import {ApiError, AuthError} from '../errors.js'
import type {Client} from './client.js'
import type {User} from './types.js'

/** DRF TokenAuthentication's 401 details: the token, not the request, was refused. */
const TOKEN_FAILURES = new Set([
  'Invalid token.',
  'Authentication credentials were not provided.',
  'User inactive or deleted.',
  'Invalid token header. No credentials provided.',
  'Invalid token header. Token string should not contain spaces.',
])

export type Registration = {username: string; password: string; email?: string | undefined}

/** Auth endpoints (`/v2/auth/…`); login and tokens need their trailing slash. */
export const auth = (c: Client) => ({
  /**
   * True when `GET /v2/` answers 401 without a token: the SDK's "this is a Deis controller" probe. A
   * 5xx is not an answer either way (a proxy whose controller is down), so it is thrown as it is.
   */
  async probe(): Promise<boolean> {
    try {
      await c.request('GET', '/v2/', {auth: false})
      return false
    } catch (error) {
      if (error instanceof AuthError) return true
      if (error instanceof ApiError && error.status < 500) return false
      throw error
    }
  },
  register: (r: Registration) => c.post<User>('/v2/auth/register/', r),
  login: (username: string, password: string) => c.post<{token: string}>('/v2/auth/login/', {username, password}, {auth: false}),
  whoami: () => c.get<User>('/v2/auth/whoami/'),
  /** Changes a password; a 401 for a wrong current password is an ApiError (exit 1), not a stale token. */
  async passwd(body: {new_password: string; password?: string | undefined; username?: string | undefined}) {
    try {
      return await c.post<{status: string}>('/v2/auth/passwd/', body)
    } catch (error) {
      // The controller answers 401 both for a bad token and for `{"detail": "Current password does not match"}`.
      if (error instanceof AuthError && !TOKEN_FAILURES.has(error.message)) throw new ApiError(error.message, 401)
      throw error
    }
  },
  cancel: (username?: string) => c.delete<void>('/v2/auth/cancel/', username ? {username} : undefined),
  /** Rotates a token: the caller's, another user's (admin), or with `all` everyone's (answers ""). */
  regenerate: (body: {username?: string | undefined; all?: boolean | undefined}) =>
    c.post<{token: string} | string>('/v2/auth/tokens/', body.all ? {all: true} : body.username ? {username: body.username} : undefined),
})
