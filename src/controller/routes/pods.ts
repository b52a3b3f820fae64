import {appFor} from '../access.js'
import {empty, json} from '../http.js'
import {listPods, restartPods, runCommand, scale} from '../pods.js'
import type {RouteContext, Router} from '../router.js'

const APP = '/v2/apps/{app:[a-z0-9-]+}'
const filter = (ctx: RouteContext) => ({type: ctx.params.type, name: ctx.params.name})

/** Processes (`pods`), `scale` and one-off `run`; restart routes come first, as in the controller's URL list. */
export function podRoutes(router: Router): void {
  const restart = {POST: (ctx: RouteContext) => json(200, restartPods(ctx.store, appFor(ctx).app, filter(ctx)))}
  const list = {
    GET: (ctx: RouteContext) => {
      const results = listPods(ctx.store, appFor(ctx).app, filter(ctx))
      return json(200, {results, count: results.length})
    },
  }
  router.add(`${APP}/pods/{type:[-_\\w]+}/{name:[-_\\w]+}/restart/?`, 'user', restart)
  router.add(`${APP}/pods/{type:[-_\\w]+}/restart/?`, 'user', restart)
  router.add(`${APP}/pods/restart/?`, 'user', restart)
  router.add(`${APP}/pods/{type:[-_\\w]+}/{name:[-_\\w]+}/?`, 'user', list)
  router.add(`${APP}/pods/{type:[-_\\w.]+}/?`, 'user', list)
  router.add(`${APP}/pods/?`, 'user', list)
  router.add(`${APP}/scale/?`, 'user', {
    POST: async ctx => {
      const {app} = appFor(ctx)
      scale(ctx.store, app, await ctx.body())
      return empty(204)
    },
  })
  router.add(`${APP}/run/?`, 'user', {
    POST: async ctx => {
      const {app} = appFor(ctx)
      return json(200, runCommand(ctx.store, app, await ctx.body()))
    },
  })
}
