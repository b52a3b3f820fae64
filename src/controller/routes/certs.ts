import {caller} from '../access.js'
import {addCert, attachCert, detachCert, getCert, listCerts, removeCert} from '../certs.js'
import {detail, empty, json} from '../http.js'
import {paginate} from '../paging.js'
import type {RouteContext, Router} from '../router.js'

const NAME = '[-_*.\\p{L}\\p{N}]+'

/** The domain of an attach: the body's `domain` wins over the path's; 400 when neither gives one. */
async function attachDomain(ctx: RouteContext): Promise<string> {
  const body = (await ctx.body()) as Record<string, unknown> | null
  const fromBody = body && typeof body === 'object' ? body.domain : undefined
  if (fromBody) return String(fromBody)
  if (ctx.params.domain) return ctx.params.domain
  throw detail(400, 'domain is a required field')
}

/** `/v2/certs`: certificates belong to the user who added them, even an admin sees only their own. */
export function certRoutes(router: Router): void {
  router.add('/v2/certs/?', 'user', {
    GET: ctx => json(200, paginate(ctx, listCerts(ctx.store, caller(ctx).username))),
    POST: async ctx => {
      const owner = caller(ctx).username
      const body = await ctx.body()
      return json(201, ctx.store.tx(() => addCert(ctx.store, owner, body)))
    },
  })
  router.add(`/v2/certs/{name:${NAME}}/domain/{domain:\\**\\.?[-._%\\p{L}\\p{N}\\p{M}]*}`, 'user', {
    POST: async ctx => {
      const owner = caller(ctx).username
      attachCert(ctx.store, owner, ctx.params.name ?? '', await attachDomain(ctx))
      return empty(201)
    },
    DELETE: ctx => {
      detachCert(ctx.store, caller(ctx).username, ctx.params.name ?? '', ctx.params.domain ?? '')
      return empty(204)
    },
  })
  router.add(`/v2/certs/{name:${NAME}}/?`, 'user', {
    GET: ctx => json(200, getCert(ctx.store, caller(ctx).username, ctx.params.name ?? '')),
    DELETE: ctx => {
      removeCert(ctx.store, caller(ctx).username, ctx.params.name ?? '')
      return empty(204)
    },
  })
}
