import {PROCESS_TYPE} from '../../api/types.js'
import {appFor} from '../http/access.js'
import {empty, HttpError, json} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {deleteService, findService, listServices, putService, type Service} from '../model/services.js'

// Hephy's path-based routing to extra process types (controller-api §4.19); stored, served as Hephy answers.

function validPatterns(pattern: string): boolean {
  return pattern.split(',').every(p => {
    if (p.trim() === '') return false
    try {
      new RegExp(p.replace(/^~\s*/, ''))
      return true
    } catch {
      return false
    }
  })
}

async function put(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const b = (await ctx.body()) as Partial<Service>
  if (typeof b.procfile_type !== 'string' || typeof b.path_pattern !== 'string') throw new HttpError(500, {detail: 'Server Error'})
  if (!PROCESS_TYPE.test(b.procfile_type)) throw new HttpError(400, ['Process types can only contain lowercase alphanumeric characters'])
  if (!validPatterns(b.path_pattern)) throw new HttpError(400, ['Service value should be valid regex (or set of regex split by comma)'])
  if (findService(ctx.store, app.id, b.procfile_type)?.path_pattern === b.path_pattern) return empty(204)
  putService(ctx.store, app.id, {procfile_type: b.procfile_type, path_pattern: b.path_pattern})
  await ctx.runtime.changed(app.id)
  return empty(201)
}

async function remove(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const b = (await ctx.body()) as Partial<Service>
  if (!deleteService(ctx.store, app.id, String(b.procfile_type ?? ''))) throw new HttpError(404, 'No Service matches the given query.')
  await ctx.runtime.changed(app.id)
  return empty(204)
}

export function serviceRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/services/?', 'user', {
    GET: ctx => json(200, {services: listServices(ctx.store, appFor(ctx).app.id)}),
    POST: put,
    DELETE: remove,
  })
}
