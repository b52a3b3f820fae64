import {appFor, caller} from '../http/access.js'
import {empty, json} from '../http/reply.js'
import type {Router} from '../http/routes.js'
import {addToWhitelist, changeSettings, latestSettings, removeFromWhitelist} from '../model/settings.js'

/** `/v2/apps/{app}/settings/` and the whitelist view over it. */
export function settingsRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/settings/?', 'user', {
    GET: ctx => json(200, latestSettings(ctx.store, appFor(ctx).app.id)),
    POST: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      const settings = ctx.store.tx(() => changeSettings(ctx.store, app.id, caller(ctx).username, body))
      await ctx.runtime.changed(app.id)
      return json(201, settings)
    },
  })
  router.add('/v2/apps/{app:[a-z0-9-]+}/whitelist/?', 'user', {
    GET: ctx => json(200, {addresses: latestSettings(ctx.store, appFor(ctx).app.id).whitelist}),
    POST: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      const addresses = ctx.store.tx(() => addToWhitelist(ctx.store, app.id, caller(ctx).username, body))
      await ctx.runtime.changed(app.id)
      return json(201, {addresses})
    },
    DELETE: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      ctx.store.tx(() => removeFromWhitelist(ctx.store, app.id, caller(ctx).username, body))
      await ctx.runtime.changed(app.id)
      return empty(204)
    },
  })
}
