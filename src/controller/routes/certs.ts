import {caller} from '../http/access.js'
import {paginate} from '../http/paging.js'
import {detail, empty, json} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {addCert, attachCert, detachCert, getCert, listCerts, removeCert} from '../model/certs.js'
import {domainRow} from '../model/domains.js'

const NAME = '[-_*.\\p{L}\\p{N}]+'

/** The domain of an attach: the body's `domain` wins over the path's; 400 when neither gives one. */
async function attachDomain(ctx: RouteContext): Promise<string> {
  const body = (await ctx.body()) as Record<string, unknown> | null
  const fromBody = body && typeof body === 'object' ? body.domain : undefined
  if (fromBody) return String(fromBody)
  if (ctx.params.domain) return ctx.params.domain
  throw detail(400, 'domain is a required field')
}

/** The runtime serves a domain's certificate, so the app holding the domain changed. */
async function domainChanged(ctx: RouteContext, domain: string): Promise<void> {
  const app = domainRow(ctx.store, domain)?.app
  if (app) await ctx.runtime.changed(app)
}

/** `/v2/certs`: certificates belong to the user who added them, even an admin sees only their own. */
export function certRoutes(router: Router): void {
  router.add('/v2/certs/?', 'user', {
    GET: ctx => json(200, paginate(ctx, listCerts(ctx.store, caller(ctx).username))),
    POST: async ctx => {
      const owner = caller(ctx).username
      const body = await ctx.body()
      return json(
        201,
        ctx.store.tx(() => addCert(ctx.store, owner, body)),
      )
    },
  })
  router.add(`/v2/certs/{name:${NAME}}/domain/{domain:\\**\\.?[-._%\\p{L}\\p{N}\\p{M}]*}`, 'user', {
    POST: async ctx => {
      const owner = caller(ctx).username
      const domain = await attachDomain(ctx)
      attachCert(ctx.store, owner, ctx.params.name ?? '', domain)
      await domainChanged(ctx, domain)
      return empty(201)
    },
    DELETE: async ctx => {
      const domain = ctx.params.domain ?? ''
      detachCert(ctx.store, caller(ctx).username, ctx.params.name ?? '', domain)
      await domainChanged(ctx, domain)
      return empty(204)
    },
  })
  router.add(`/v2/certs/{name:${NAME}}/?`, 'user', {
    GET: ctx => json(200, getCert(ctx.store, caller(ctx).username, ctx.params.name ?? '')),
    DELETE: async ctx => {
      const {domains} = getCert(ctx.store, caller(ctx).username, ctx.params.name ?? '')
      removeCert(ctx.store, caller(ctx).username, ctx.params.name ?? '')
      for (const domain of domains) await domainChanged(ctx, domain)
      return empty(204)
    },
  })
}
