import {appFor, caller} from '../http/access.js'
import {objectBody} from '../http/body.js'
import {page, sliceOf} from '../http/paging.js'
import {detail, empty, fieldError, forbidden, json, notFound} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {createApp} from '../model/app-lifecycle.js'
import {generateAppName} from '../model/app-names.js'
import {appsVisibleTo, countAppsVisibleTo, deleteApp, findApp, updateApp} from '../model/apps.js'
import {findUser} from '../model/users.js'

/** Kubernetes namespaces every cluster has; an app with one of these names is a 409 on the real controller. */
const NAMESPACES = new Set(['default', 'deis', 'kube-system', 'kube-public', 'kube-node-lease'])
const APP_ID = /^[a-z]([a-z0-9-]*[a-z0-9])?$/
const SLUG = /^[-a-zA-Z0-9_]+$/

/** The controller's id checks, in its order; returns the id to use. */
function validateId(ctx: RouteContext, raw: unknown): string {
  if (raw === undefined || raw === null) {
    let id = generateAppName()
    while (findApp(ctx.store, id)) id = generateAppName()
    return id
  }
  const id = String(raw)
  if (id === '') throw fieldError({id: ['This field may not be blank.']})
  if (id.length > 63) throw fieldError({id: ['Ensure this field has no more than 63 characters.']})
  const messages: string[] = []
  if (!SLUG.test(id)) messages.push('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.')
  if (!APP_ID.test(id)) {
    messages.push('App name must start with an alphabetic character, cannot end with a hyphen and can only contain a-z (lowercase), 0-9 and hyphens.')
  }
  if (messages.length > 0) throw fieldError({id: messages})
  if (ctx.options.reservedNames.has(id)) throw fieldError({id: [`${id} is a reserved name.`]})
  if (findApp(ctx.store, id)) throw fieldError({id: ['Application with this id already exists.']})
  if (NAMESPACES.has(id)) throw detail(409, `${id} already exists as a namespace in this kuberenetes setup`)
  return id
}

async function create(ctx: RouteContext) {
  const user = caller(ctx)
  const id = validateId(ctx, objectBody(await ctx.body()).id)
  const app = createApp(ctx.store, id, user.username)
  await ctx.runtime.changed(app.id)
  return json(201, app)
}

async function update(ctx: RouteContext) {
  const {app, role} = appFor(ctx)
  const body = (await ctx.body()) as Record<string, unknown>
  if (body && typeof body === 'object' && 'owner' in body) {
    // transfer is for the owner or an admin; a collaborator may only re-save the app
    if (role === 'collaborator') throw forbidden()
    const owner = findUser(ctx.store, String(body.owner))
    if (!owner) throw notFound('User')
    updateApp(ctx.store, app.id, {owner: owner.username})
  }
  return empty(200)
}

export function appRoutes(router: Router): void {
  router.add('/v2/apps/?', 'user', {
    GET: ctx => {
      const user = caller(ctx)
      return json(200, page(ctx, countAppsVisibleTo(ctx.store, user), appsVisibleTo(ctx.store, user, sliceOf(ctx))))
    },
    POST: create,
  })
  router.add('/v2/apps/{app:[a-z0-9-]+}/?', 'user', {
    GET: ctx => json(200, appFor(ctx).app),
    POST: update,
    DELETE: async ctx => {
      const {app} = appFor(ctx)
      deleteApp(ctx.store, app.id)
      await ctx.runtime.changed(app.id)
      return empty(204)
    },
  })
}
