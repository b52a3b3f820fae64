import {appFor, caller} from '../http/access.js'
import {paginate} from '../http/paging.js'
import {empty, json} from '../http/reply.js'
import type {Router} from '../http/routes.js'
import {addDomain, listDomains, removeDomain} from '../model/domains.js'

// Unicode word characters, and `%` so that percent-encoded IDN names reach the handler
const DOMAIN = '\\**\\.?[-._%\\p{L}\\p{N}\\p{M}]+'

/** `/v2/apps/{app}/domains/`: every app starts with a domain named after it. */
export function domainRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/domains/?', 'user', {
    GET: ctx => json(200, paginate(ctx, listDomains(ctx.store, appFor(ctx).app.id))),
    POST: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      const domain = ctx.store.tx(() => addDomain(ctx.store, app.id, caller(ctx).username, body))
      await ctx.runtime.changed(app.id)
      return json(201, domain)
    },
  })
  router.add(`/v2/apps/{app:[a-z0-9-]+}/domains/{domain:${DOMAIN}}/?`, 'user', {
    DELETE: async ctx => {
      const {app} = appFor(ctx)
      ctx.store.tx(() => removeDomain(ctx.store, app.id, ctx.params.domain ?? ''))
      await ctx.runtime.changed(app.id)
      return empty(204)
    },
  })
}
