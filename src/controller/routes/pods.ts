import {appFor, caller} from '../access.js'
import {empty, json} from '../http.js'
import {listPods, restartPods, runCommand, scale} from '../pods.js'
import type {RouteContext, Router} from '../router.js'
import {runtimeOf} from '../runtime/registry.js'

const APP = '/v2/apps/{app:[a-z0-9-]+}'
const filter = (ctx: RouteContext) => ({type: ctx.params.type, name: ctx.params.name})

/** Processes (`pods`), `scale` and one-off `run`; restart routes come first, as in the controller's URL list. */
export function podRoutes(router: Router): void {
  const restart = {
    POST: async (ctx: RouteContext) => {
      const {app} = appFor(ctx)
      const rt = runtimeOf(ctx.store)
      return json(200, rt ? await rt.restart(app.id, filter(ctx)) : restartPods(ctx.store, app, filter(ctx)))
    },
  }
  const list = {
    GET: (ctx: RouteContext) => {
      const {app} = appFor(ctx)
      const rt = runtimeOf(ctx.store)
      const results = rt ? rt.pods(app.id, filter(ctx)) : listPods(ctx.store, app, filter(ctx))
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
      scale(ctx.store, app, await ctx.body(), caller(ctx).username)
      await runtimeOf(ctx.store)?.changed(app.id)
      return empty(204)
    },
  })
  router.add(`${APP}/run/?`, 'user', {
    POST: async ctx => {
      const {app} = appFor(ctx)
      const answer = runCommand(ctx.store, app, await ctx.body())
      const rt = runtimeOf(ctx.store)
      return json(200, rt ? await rt.run(app.id, String((await ctx.body() as {command: unknown}).command)) : answer)
    },
  })
}
