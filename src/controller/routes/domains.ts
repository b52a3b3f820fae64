import {runtimeOf} from '../runtime/registry.js'
import {appFor, caller} from '../access.js'
import {logEvent} from '../logs.js'
import {addDomain, insertDomain, listDomains, removeDomain} from '../domains.js'
import {empty, json} from '../http.js'
import {paginate} from '../paging.js'
import type {Router} from '../router.js'

// Unicode word characters, and `%` so that percent-encoded IDN names reach the handler
const DOMAIN = '\\**\\.?[-._%\\p{L}\\p{N}\\p{M}]+'

/** `/v2/apps/{app}/domains/`: every app starts with a domain named after it. */
export function domainRoutes(router: Router): void {
  router.onAppCreated.push((ctx, app) => {
    insertDomain(ctx.store, app.id, app.owner, app.id)
  })
  router.add('/v2/apps/{app:[a-z0-9-]+}/domains/?', 'user', {
    GET: ctx => json(200, paginate(ctx, listDomains(ctx.store, appFor(ctx).app.id))),
    POST: async ctx => {
      const {app} = appFor(ctx)
      const body = await ctx.body()
      const user = caller(ctx).username
      const domain = ctx.store.tx(() => {
        const added = addDomain(ctx.store, app.id, user, body)
        logEvent(ctx.store, app.id, `${user} added domain ${added.domain}`)
        return added
      })
      await runtimeOf(ctx.store)?.changed(app.id)
      return json(201, domain)
    },
  })
  router.add(`/v2/apps/{app:[a-z0-9-]+}/domains/{domain:${DOMAIN}}/?`, 'user', {
    DELETE: async ctx => {
      const {app} = appFor(ctx)
      ctx.store.tx(() => {
        removeDomain(ctx.store, app.id, ctx.params.domain ?? '')
        logEvent(ctx.store, app.id, `${caller(ctx).username} removed domain ${ctx.params.domain ?? ''}`)
      })
      await runtimeOf(ctx.store)?.changed(app.id)
      return empty(204)
    },
  })
}
