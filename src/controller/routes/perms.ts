import {appFor, caller, requireAdmin} from '../access.js'
import {logEvent} from '../logs.js'
import {empty, fieldError, forbidden, HttpError, json, notFound} from '../http.js'
import {paginate} from '../paging.js'
import {admins, collaborators, grant, revoke} from '../perms.js'
import type {RouteContext, Router} from '../router.js'

const USERNAME = '[-\\p{L}\\p{N}_.@+]+'

/** The `username` of a perms POST body; the real controller crashes (500) without it, we answer 400. */
async function bodyUsername(ctx: RouteContext): Promise<string> {
  const body = await ctx.body()
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, {non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(body) ? 'list' : typeof body}.`]})
  }
  const username = (body as Record<string, unknown>).username
  if (username === undefined || username === null || username === '') throw fieldError({username: ['This field is required.']})
  return String(username)
}

function userNamed(ctx: RouteContext, username: string) {
  const user = ctx.store.user(username)
  if (!user) throw notFound('User')
  return user
}

async function share(ctx: RouteContext) {
  const {app} = appFor(ctx, {ownerOnly: true})
  const user = userNamed(ctx, await bodyUsername(ctx))
  ctx.store.tx(() => {
    grant(ctx.store, app.id, user.username)
    logEvent(ctx.store, app.id, `${caller(ctx).username} added ${user.username} to ${app.id} collaborators`)
  })
  return empty(201)
}

/** Owners and admins may remove anyone holding the permission; a collaborator may remove only themself. */
function unshare(ctx: RouteContext) {
  const me = caller(ctx)
  const app = ctx.store.app(ctx.params.app ?? '')
  if (!app) throw notFound('App')
  const target = userNamed(ctx, ctx.params.username ?? '')
  // guardian: a superuser "has" every permission, so revoking one is allowed and changes nothing
  if (!target.is_superuser && !ctx.store.isCollaborator(app.id, target.username)) throw forbidden()
  if (target.username !== me.username && app.owner !== me.username && !me.is_superuser) throw forbidden()
  ctx.store.tx(() => {
    revoke(ctx.store, app.id, target.username)
    logEvent(ctx.store, app.id, `${me.username} removed ${target.username} from ${app.id} collaborators`)
  })
  return empty(204)
}

async function makeAdmin(ctx: RouteContext) {
  requireAdmin(ctx)
  const user = userNamed(ctx, await bodyUsername(ctx))
  ctx.store.setSuperuser(user.username, true)
  return empty(201)
}

function dropAdmin(ctx: RouteContext) {
  requireAdmin(ctx)
  const user = userNamed(ctx, ctx.params.username ?? '')
  ctx.store.setSuperuser(user.username, false)
  return empty(204)
}

/** App collaborators (`/v2/apps/{app}/perms/`) and administrators (`/v2/admin/perms/`). */
export function permRoutes(router: Router): void {
  router
    .add('/v2/apps/{app:[a-z0-9-]+}/perms/?', 'user', {
      GET: ctx => json(200, {users: collaborators(ctx.store, appFor(ctx).app.id)}),
      POST: share,
    })
    .add(`/v2/apps/{app:[a-z0-9-]+}/perms/{username:${USERNAME}}/?`, 'user', {DELETE: unshare})
    .add('/v2/admin/perms/?', 'user', {
      GET: ctx => {
        requireAdmin(ctx)
        return json(200, paginate(ctx, admins(ctx.store).map(u => ({username: u.username, is_superuser: true}))))
      },
      POST: makeAdmin,
    })
    .add(`/v2/admin/perms/{username:${USERNAME}}/?`, 'user', {DELETE: dropAdmin})
}
