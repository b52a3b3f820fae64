import {appFor} from '../access.js'
import {empty, HttpError, json} from '../http.js'
import type {RouteContext, Router} from '../router.js'

// Hephy's path-based routing to extra process types (controller-api §4.19); stored, served as Hephy answers.
const PROCTYPE = /^[a-z0-9]+(-[a-z0-9]+)*$/

type Service = {procfile_type: string; path_pattern: string}

function list(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const rows = ctx.store.db
    .prepare('SELECT procfile_type, path_pattern FROM services WHERE app = ? ORDER BY seq DESC')
    .all(app.id) as Service[]
  return json(200, {services: rows})
}

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
  if (!PROCTYPE.test(b.procfile_type)) throw new HttpError(400, ['Process types can only contain lowercase alphanumeric characters'])
  if (!validPatterns(b.path_pattern)) throw new HttpError(400, ['Service value should be valid regex (or set of regex split by comma)'])
  const existing = ctx.store.db
    .prepare('SELECT path_pattern FROM services WHERE app = ? AND procfile_type = ?')
    .get(app.id, b.procfile_type) as Service | undefined
  if (existing?.path_pattern === b.path_pattern) return empty(204)
  ctx.store.db
    .prepare('INSERT INTO services (app, procfile_type, path_pattern) VALUES (?, ?, ?) ON CONFLICT (app, procfile_type) DO UPDATE SET path_pattern = excluded.path_pattern')
    .run(app.id, b.procfile_type, b.path_pattern)
  return empty(201)
}

async function remove(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const b = (await ctx.body()) as Partial<Service>
  const gone = ctx.store.db.prepare('DELETE FROM services WHERE app = ? AND procfile_type = ?').run(app.id, String(b.procfile_type ?? ''))
  if (gone.changes === 0) throw new HttpError(404, 'No Service matches the given query.')
  return empty(204)
}

export function serviceRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/services/?', 'user', {GET: list, POST: put, DELETE: remove})
}
