import {ApiError, AuthError} from '../errors.js'
import type {Client} from './client.js'
import type {User} from './types.js'

export type Registration = {username: string; password: string; email?: string | undefined}

/** Auth endpoints (`/v2/auth/…`); login and tokens need their trailing slash. */
export const auth = (c: Client) => ({
  /** True when `GET /v2/` answers 401 without a token: the SDK's "this is a Deis controller" probe. */
  async probe(): Promise<boolean> {
    try {
      await c.request('GET', '/v2/', {auth: false})
      return false
    } catch (error) {
      if (error instanceof AuthError) return true
      if (error instanceof ApiError) return false
      throw error
    }
  },
  register: (r: Registration) => c.post<User>('/v2/auth/register/', r),
  login: (username: string, password: string) => c.post<{token: string}>('/v2/auth/login/', {username, password}, {auth: false}),
  whoami: () => c.get<User>('/v2/auth/whoami/'),
  passwd: (body: {new_password: string; password?: string | undefined; username?: string | undefined}) =>
    c.post<{status: string}>('/v2/auth/passwd/', body),
  cancel: (username?: string) => c.delete<void>('/v2/auth/cancel/', username ? {username} : undefined),
  /** Rotates a token: the caller's, another user's (admin), or with `all` everyone's (answers ""). */
  regenerate: (body: {username?: string | undefined; all?: boolean | undefined}) =>
    c.post<{token: string} | string>('/v2/auth/tokens/', body.all ? {all: true} : body.username ? {username: body.username} : undefined),
})
