import {runtimeOf} from '../runtime/registry.js'
import {appFor, caller} from '../access.js'
import {empty, json} from '../http.js'
import type {Router} from '../router.js'
import {addToWhitelist, changeSettings, initialSettings, latestSettings, removeFromWhitelist} from '../settings.js'

/** `/v2/apps/{app}/settings/` and the whitelist view over it; every app gets its first settings on creation. */
export function settingsRoutes(router: Router): void {
  router.onAppCreated.push((ctx, app) => initialSettings(ctx.store, app.id, app.owner))
  router.add('/v2/apps/{app:[a-z0-9-]+}/settings/?', 'user', {
    GET: ctx => json(200, latestSettings(ctx.store, appFor(ctx).app.id)),
    POST: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      const settings = ctx.store.tx(() => changeSettings(ctx.store, app.id, caller(ctx).username, body))
      await runtimeOf(ctx.store)?.changed(app.id)
      return json(201, settings)
    },
  })
  router.add('/v2/apps/{app:[a-z0-9-]+}/whitelist/?', 'user', {
    GET: ctx => json(200, {addresses: latestSettings(ctx.store, appFor(ctx).app.id).whitelist}),
    POST: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      const addresses = ctx.store.tx(() => addToWhitelist(ctx.store, app.id, caller(ctx).username, body))
      await runtimeOf(ctx.store)?.changed(app.id)
      return json(201, {addresses})
    },
    DELETE: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      ctx.store.tx(() => removeFromWhitelist(ctx.store, app.id, caller(ctx).username, body))
      await runtimeOf(ctx.store)?.changed(app.id)
      return empty(204)
    },
  })
}
