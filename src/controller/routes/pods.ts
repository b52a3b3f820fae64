import {appFor, caller} from '../http/access.js'
import {pyString} from '../http/pyrepr.js'
import {detail, empty, HttpError, json} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {setStructure} from '../model/apps.js'
import {currentBuild} from '../model/releases.js'
import {runPodName} from '../runtime/pod-names.js'

const APP = '/v2/apps/{app:[a-z0-9-]+}'
const filter = (ctx: RouteContext) => ({type: ctx.params.type, name: ctx.params.name})

function pyInt(v: unknown): number | string {
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number') return Math.trunc(v)
  if (typeof v === 'string') {
    const t = v.trim()
    return /^[+-]?\d+(_\d+)*$/.test(t) ? Number(t.replace(/_/g, '')) : `invalid literal for int() with base 10: ${pyString(v)}`
  }
  const type = v === null ? 'NoneType' : Array.isArray(v) ? 'list' : 'dict'
  return `int() argument must be a string, a bytes-like object or a real number, not '${type}'`
}

/**
 * `POST /scale/` in the controller's order: a build must exist, every count must be an integer >= 0,
 * every type must be in the build's Procfile (`cmd` always is). Merges into `structure` and logs
 * `<user> scaled pods web=4`.
 */
/** Processes per type the local controller runs at most. */
const MAX_PER_TYPE = 100

async function scale(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const build = currentBuild(ctx.store, app.id)
  if (!build) throw detail(400, 'No build associated with this release')
  const body = await ctx.body()
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw detail(400, 'Invalid scaling format: expected an object of process type to count')
  const counts: Record<string, number> = {}
  for (const [type, raw] of Object.entries(body as Record<string, unknown>)) {
    const n = pyInt(raw)
    if (typeof n === 'string') throw detail(400, `Invalid scaling format: ${n}`)
    counts[type] = n
  }
  if (Object.values(counts).some(n => n < 0)) {
    throw detail(400, "Invalid scaling format: [ErrorDetail(string='Must be greater than or equal to zero', code='invalid')]")
  }
  // a local deviation: the real controller has no bound, but one machine cannot run more
  const tooMany = Object.entries(counts).find(([, n]) => n > MAX_PER_TYPE)
  if (tooMany)
    throw detail(400, `Invalid scaling format: ${tooMany[0]}=${tooMany[1]} is more than the local controller runs; scale each process type to ${MAX_PER_TYPE} or fewer`)
  for (const type of Object.keys(counts)) {
    if (type !== 'cmd' && !(type in build.procfile)) throw new HttpError(404, {detail: `Container type ${type} does not exist in application`})
  }
  const user = caller(ctx).username
  ctx.store.tx(() => {
    setStructure(ctx.store, app.id, {...app.structure, ...counts}, build.procfile)
    const pairs = Object.entries(counts).map(([t, n]) => `${t}=${n}`)
    ctx.logs.event(app.id, `${user} scaled pods ${pairs.join(' ')}`)
  })
  await ctx.runtime.changed(app.id)
  return empty(204)
}

/** `POST /run`: a command is required and a build must exist; logs `<user> on <pod> runs '<command>'`, then the runtime runs it. */
async function run(ctx: RouteContext) {
  const {app} = appFor(ctx)
  const body = await ctx.body()
  const command = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).command : undefined
  if (!command) throw detail(400, 'command is a required field')
  if (!currentBuild(ctx.store, app.id)) throw detail(400, 'No build associated with this release to run this command')
  const pod = runPodName(app.id)
  ctx.logs.event(app.id, `${caller(ctx).username} on ${pod} runs '${String(command)}'`)
  return json(200, await ctx.runtime.run(app.id, String(command), pod))
}

/** Processes (`pods`), `scale` and one-off `run`; restart routes come first, as in the controller's URL list. */
export function podRoutes(router: Router): void {
  const restart = {
    POST: async (ctx: RouteContext) => json(200, await ctx.runtime.restart(appFor(ctx).app.id, filter(ctx))),
  }
  const list = {
    GET: (ctx: RouteContext) => {
      const results = ctx.runtime.pods(appFor(ctx).app.id, filter(ctx))
      return json(200, {results, count: results.length})
    },
  }
  router.add(`${APP}/pods/{type:[-_\\w]+}/{name:[-_\\w]+}/restart/?`, 'user', restart)
  router.add(`${APP}/pods/{type:[-_\\w]+}/restart/?`, 'user', restart)
  router.add(`${APP}/pods/restart/?`, 'user', restart)
  router.add(`${APP}/pods/{type:[-_\\w]+}/{name:[-_\\w]+}/?`, 'user', list)
  router.add(`${APP}/pods/{type:[-_\\w.]+}/?`, 'user', list)
  router.add(`${APP}/pods/?`, 'user', list)
  router.add(`${APP}/scale/?`, 'user', {POST: scale})
  router.add(`${APP}/run/?`, 'user', {POST: run})
}
