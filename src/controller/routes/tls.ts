import {runtimeOf} from '../runtime/registry.js'
import {appFor, caller} from '../access.js'
import {json} from '../http.js'
import type {Router} from '../router.js'
import {changeTls, insertTls, latestTls} from '../settings.js'

/** `/v2/apps/{app}/tls/`: HTTPS enforcement, `null` (not set) for a new app. */
export function tlsRoutes(router: Router): void {
  router.onAppCreated.push((ctx, app) => {
    insertTls(ctx.store, app.id, app.owner, null)
  })
  router.add('/v2/apps/{app:[a-z0-9-]+}/tls/?', 'user', {
    GET: ctx => json(200, latestTls(ctx.store, appFor(ctx).app.id)),
    POST: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      const tls = ctx.store.tx(() => changeTls(ctx.store, app.id, caller(ctx).username, body))
      await runtimeOf(ctx.store)?.changed(app.id)
      return json(201, tls)
    },
  })
}
