import type {App} from '../../api/types.js'
import {findApp} from '../model/apps.js'
import {isCollaborator} from '../model/perms.js'
import type {UserRow} from '../model/users.js'
import {forbidden, HttpError, notFound} from './reply.js'
import type {RouteContext} from './routes.js'

/** The authenticated caller; routes registered with auth 'user' always have one. */
export function caller(ctx: Pick<RouteContext, 'user'>): UserRow {
  if (!ctx.user) throw new HttpError(401, {detail: 'Authentication credentials were not provided.'}, {'WWW-Authenticate': 'Token'})
  return ctx.user
}

export function requireAdmin(ctx: Pick<RouteContext, 'user'>): UserRow {
  const user = caller(ctx)
  if (!user.is_superuser) throw forbidden()
  return user
}

export type AppRole = 'owner' | 'admin' | 'collaborator'

/**
 * Looks up `params.app` in the controller's order: 404 (bare string) before 403. Owners and admins
 * may do anything; collaborators anything but DELETE, unless `ownerOnly` (sharing, transfer).
 */
export function appFor(ctx: Pick<RouteContext, 'user' | 'store' | 'params' | 'method'>, opts: {ownerOnly?: boolean} = {}): {app: App; role: AppRole} {
  const user = caller(ctx)
  const app = findApp(ctx.store, ctx.params.app ?? '')
  if (!app) throw notFound('App')
  if (app.owner === user.username) return {app, role: 'owner'}
  if (user.is_superuser) return {app, role: 'admin'}
  if (!opts.ownerOnly && ctx.method !== 'DELETE' && isCollaborator(ctx.store, app.id, user.username)) return {app, role: 'collaborator'}
  throw forbidden()
}
