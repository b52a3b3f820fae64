import {appFor, caller} from '../http/access.js'
import {json} from '../http/reply.js'
import type {Router} from '../http/routes.js'
import {changeTls, latestTls} from '../model/tls.js'

/** `/v2/apps/{app}/tls/`: HTTPS enforcement, `null` (not set) for a new app. */
export function tlsRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/tls/?', 'user', {
    GET: ctx => json(200, latestTls(ctx.store, appFor(ctx).app.id)),
    POST: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      const tls = ctx.store.tx(() => changeTls(ctx.store, app.id, caller(ctx).username, body))
      await ctx.runtime.changed(app.id)
      return json(201, tls)
    },
  })
}
