import {appFor, caller, requireAdmin} from '../http/access.js'
import {objectBody} from '../http/body.js'
import {paginate} from '../http/paging.js'
import {empty, fieldError, forbidden, json, notFound} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {findApp} from '../model/apps.js'
import {collaborators, grant, isCollaborator, revoke} from '../model/perms.js'
import {findUser, listAdmins, setSuperuser} from '../model/users.js'

const USERNAME = '[-\\p{L}\\p{N}_.@+]+'

/** The `username` of a perms POST body; the real controller crashes (500) without it, we answer 400. */
async function bodyUsername(ctx: RouteContext): Promise<string> {
  const username = objectBody(await ctx.body()).username
  if (username === undefined || username === null || username === '') throw fieldError({username: ['This field is required.']})
  return String(username)
}

function userNamed(ctx: RouteContext, username: string) {
  const user = findUser(ctx.store, username)
  if (!user) throw notFound('User')
  return user
}

async function share(ctx: RouteContext) {
  const {app} = appFor(ctx, {ownerOnly: true})
  const user = userNamed(ctx, await bodyUsername(ctx))
  ctx.store.tx(() => grant(ctx.store, app.id, user.username))
  return empty(201)
}

/** Owners and admins may remove anyone holding the permission; a collaborator may remove only themself. */
function unshare(ctx: RouteContext) {
  const me = caller(ctx)
  const app = findApp(ctx.store, ctx.params.app ?? '')
  if (!app) throw notFound('App')
  const target = userNamed(ctx, ctx.params.username ?? '')
  // guardian: a superuser "has" every permission, so revoking one is allowed and changes nothing
  if (!target.is_superuser && !isCollaborator(ctx.store, app.id, target.username)) throw forbidden()
  if (target.username !== me.username && app.owner !== me.username && !me.is_superuser) throw forbidden()
  ctx.store.tx(() => revoke(ctx.store, app.id, target.username))
  return empty(204)
}

async function makeAdmin(ctx: RouteContext) {
  requireAdmin(ctx)
  const user = userNamed(ctx, await bodyUsername(ctx))
  setSuperuser(ctx.store, user.username, true)
  return empty(201)
}

function dropAdmin(ctx: RouteContext) {
  requireAdmin(ctx)
  const user = userNamed(ctx, ctx.params.username ?? '')
  setSuperuser(ctx.store, user.username, false)
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
        return json(
          200,
          paginate(
            ctx,
            listAdmins(ctx.store).map(u => ({username: u.username, is_superuser: true})),
          ),
        )
      },
      POST: makeAdmin,
    })
    .add(`/v2/admin/perms/{username:${USERNAME}}/?`, 'user', {DELETE: dropAdmin})
}
