import {appFor, caller} from '../http/access.js'
import {detail, json} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {findApp} from '../model/apps.js'
import {buildByUuid} from '../model/builds.js'
import {checkNodeMatch, configSummary, mergeChange, readChange, validateChange} from '../model/config-change.js'
import {insertConfig, mapsOf} from '../model/config.js'
import {currentConfig, currentRelease, deploy, insertRelease} from '../model/releases.js'

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
    if (change.tags && Object.keys(maps.tags).length > 0) checkNodeMatch(maps.tags, before.tags, ctx.options.nodeLabels)
    const summary = configSummary(user, maps, before)
    if (!summary) throw detail(409, `${user} changed nothing - release stopped`)
    const created = insertConfig(ctx.store, app.id, user, maps)
    insertRelease(ctx.store, app.id, {owner: user, summary, config: created.uuid, build: current.build})
    // config changes of a deployed app redeploy the same build; structure stays as it is
    if (current.build) deploy(ctx.store, findApp(ctx.store, app.id)!, buildByUuid(ctx.store, current.build), buildByUuid(ctx.store, current.build))
    return created
  })
  await ctx.runtime.changed(app.id)
  return json(201, config)
}

export function configRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/config/?', 'user', {
    GET: ctx => json(200, currentConfig(ctx.store, appFor(ctx).app.id)),
    POST: post,
  })
}
