import {appFor, caller} from '../http/access.js'
import {paginate} from '../http/paging.js'
import {detail, HttpError, json} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {findApp} from '../model/apps.js'
import {buildByUuid} from '../model/builds.js'
import {currentRelease, deploy, findRelease, insertRelease, listReleases} from '../model/releases.js'

/** Python's `int()` of the body's `version`, with its error texts. */
function toInt(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v)
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return Number.parseInt(v, 10)
  if (typeof v === 'string') throw detail(400, `invalid literal for int() with base 10: '${v}'`)
  throw detail(400, `int() argument must be a string, a bytes-like object or a number, not '${Array.isArray(v) ? 'list' : 'dict'}'`)
}

/** POST …/releases/rollback/: a new release reusing an older one's build and config. */
async function rollback(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const user = caller(ctx).username
  const body = (await ctx.body()) as Record<string, unknown> | null
  const asked = body && typeof body === 'object' && !Array.isArray(body) ? body.version : undefined
  const current = currentRelease(ctx.store, app.id)
  const version = asked === undefined || asked === null ? current.version - 1 : toInt(asked)
  if (version < 1) throw detail(400, 'version cannot be below 0')
  if (version === 1) throw detail(400, 'Cannot roll back to initial release.')
  const target = findRelease(ctx.store, app.id, version)
  if (!target) throw detail(400, 'Release matching query does not exist.')
  if (target.failed) throw detail(400, 'Cannot roll back to failed release.')
  if (current.build && !target.build) {
    // the controller records the attempt as a failed release before answering 400
    const message = 'No build associated with this release'
    insertRelease(ctx.store, app.id, {
      owner: user,
      summary: `${current.owner} performed roll back to a release that failed`,
      config: target.config,
      build: null,
      failed: true,
      exception: `error: ${message}`,
    })
    throw detail(400, message)
  }
  const created = ctx.store.tx(() => {
    const r = insertRelease(ctx.store, app.id, {owner: user, summary: `${user} rolled back to v${version}`, config: target.config, build: target.build})
    if (current.build) deploy(ctx.store, findApp(ctx.store, app.id)!, buildByUuid(ctx.store, target.build!), buildByUuid(ctx.store, current.build))
    return r
  })
  await ctx.runtime.changed(app.id)
  return json(201, {version: created.version})
}

function getOne(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const found = findRelease(ctx.store, app.id, Number(ctx.params.version))
  if (!found) throw new HttpError(404, 'No Release matches the given query.')
  return json(200, found)
}

export function releaseRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/releases/?', 'user', {GET: ctx => json(200, paginate(ctx, listReleases(ctx.store, appFor(ctx).app.id)))})
  router.add('/v2/apps/{app:[a-z0-9-]+}/releases/v{version:[0-9]+}/?', 'user', {GET: getOne})
  router.add('/v2/apps/{app:[a-z0-9-]+}/releases/rollback/?', 'user', {POST: rollback})
}
