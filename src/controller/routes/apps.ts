import {appFor, caller} from '../access.js'
import {detail, empty, fieldError, forbidden, HttpError, json, notFound} from '../http.js'
import {generateAppName} from '../names.js'
import {paginate} from '../paging.js'
import type {RouteContext, Router} from '../router.js'
import {runtimeOf} from '../runtime/registry.js'

/** Kubernetes namespaces every cluster has; an app with one of these names is a 409 on the real controller. */
const NAMESPACES = new Set(['default', 'deis', 'kube-system', 'kube-public', 'kube-node-lease'])
const APP_ID = /^[a-z]([a-z0-9-]*[a-z0-9])?$/
const SLUG = /^[-a-zA-Z0-9_]+$/

function reservedNames(): Set<string> {
  return new Set((process.env.RESERVED_NAMES ?? '').replace(/\s/g, '').split(',').filter(Boolean))
}

/** The controller's id checks, in its order; returns the id to use. */
function validateId(ctx: RouteContext, raw: unknown): string {
  if (raw === undefined || raw === null) {
    let id = generateAppName()
    while (ctx.store.app(id)) id = generateAppName()
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
  if (reservedNames().has(id)) throw fieldError({id: [`${id} is a reserved name.`]})
  if (ctx.store.app(id)) throw fieldError({id: ['Application with this id already exists.']})
  if (NAMESPACES.has(id)) throw detail(409, `${id} already exists as a namespace in this kuberenetes setup`)
  return id
}

async function create(ctx: RouteContext, router: Router) {
  const user = caller(ctx)
  const body = await ctx.body()
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, {non_field_errors: ['Invalid data. Expected a dictionary, but got list.']})
  }
  const id = validateId(ctx, (body as Record<string, unknown>).id)
  const app = ctx.store.tx(() => {
    const created = ctx.store.insertApp(id, user.username)
    for (const hook of router.onAppCreated) hook(ctx, created)
    return created
  })
  await runtimeOf(ctx.store)?.changed(app.id)
  return json(201, app)
}

async function update(ctx: RouteContext) {
  const {app, role} = appFor(ctx)
  const body = (await ctx.body()) as Record<string, unknown>
  if (body && typeof body === 'object' && 'owner' in body) {
    // transfer is for the owner or an admin; a collaborator may only re-save the app
    if (role === 'collaborator') throw forbidden()
    const owner = ctx.store.user(String(body.owner))
    if (!owner) throw notFound('User')
    ctx.store.updateApp(app.id, {owner: owner.username})
  }
  return empty(200)
}

export function appRoutes(router: Router): void {
  router.add('/v2/apps/?', 'user', {
    GET: ctx => json(200, paginate(ctx, ctx.store.appsVisibleTo(caller(ctx)))),
    POST: ctx => create(ctx, router),
  })
  router.add('/v2/apps/{app:[a-z0-9-]+}/?', 'user', {
    GET: ctx => json(200, appFor(ctx).app),
    POST: update,
    DELETE: async ctx => {
      const {app} = appFor(ctx)
      ctx.store.deleteApp(app.id)
      await runtimeOf(ctx.store)?.changed(app.id)
      return empty(204)
    },
  })
}
