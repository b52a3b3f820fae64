import {appFor, caller} from '../access.js'
import {checkNodeMatch, configSummary, mapsOf, mergeChange, readChange, validateChange} from '../config.js'
import {detail, json} from '../http.js'
import {buildByUuid, currentConfig, currentRelease, deploy, insertConfig, insertRelease} from '../releases.js'
import type {RouteContext, Router} from '../router.js'
import {runtimeOf} from '../runtime/registry.js'

/** POST …/config/: validate, merge into the current config, and cut release v(n+1) (409 when nothing changed). */
async function post(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const user = caller(ctx).username
  const change = readChange(await ctx.body())
  validateChange(change)
  const config = ctx.store.tx(() => {
    const current = currentRelease(ctx.store, app.id)
    const before = mapsOf(currentConfig(ctx.store, app.id))
    const maps = mergeChange(before, change)
    if (change.tags && Object.keys(maps.tags).length > 0) checkNodeMatch(maps.tags, before.tags)
    const summary = configSummary(user, maps, before)
    if (!summary) throw detail(409, `${user} changed nothing - release stopped`)
    const created = insertConfig(ctx.store, app.id, user, maps)
    insertRelease(ctx.store, app.id, {owner: user, summary, config: created.uuid, build: current.build})
    // config changes of a deployed app redeploy the same build; structure stays as it is
    if (current.build) deploy(ctx.store, ctx.store.app(app.id)!, buildByUuid(ctx.store, current.build), buildByUuid(ctx.store, current.build))
    return created
  })
  await runtimeOf(ctx.store)?.changed(app.id)
  return json(201, config)
}

export function configRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/config/?', 'user', {
    GET: ctx => json(200, currentConfig(ctx.store, appFor(ctx).app.id)),
    POST: post,
  })
}
