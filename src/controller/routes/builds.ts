import {PROCESS_TYPE, type Build} from '../../api/types.js'
import {appFor, caller} from '../http/access.js'
import {objectBody} from '../http/body.js'
import {paginate} from '../http/paging.js'
import {detail, fieldError, json} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {findApp} from '../model/apps.js'
import {buildByUuid, insertBuild, listBuilds} from '../model/builds.js'
import {currentBuild, currentRelease, deploy, insertRelease} from '../model/releases.js'

/** The serializer's checks on a build body, every failing field reported. */
function readBuild(body: unknown): Pick<Build, 'image' | 'sha' | 'procfile' | 'dockerfile'> {
  const b = objectBody(body)
  const errors: Record<string, string[]> = {}
  if (b.image === undefined) errors.image = ['This field is required.']
  else if (b.image === null) errors.image = ['This field may not be null.']
  else if (String(b.image).trim() === '') errors.image = ['This field may not be blank.']
  const procfile = b.procfile ?? {}
  if (typeof procfile !== 'object' || Array.isArray(procfile)) {
    // the real controller crashes on a string Procfile; answer the field error instead
    errors.procfile = ['Expected a dictionary of items but got type "str".']
  } else {
    for (const [type, command] of Object.entries(procfile)) {
      if (!PROCESS_TYPE.test(type)) errors.procfile = ['Process types can only contain lowercase alphanumeric characters']
      else if (command === null || String(command).trim() === '') errors.procfile = ["Command can't be empty for process type"]
    }
  }
  const sha = b.sha === undefined || b.sha === null ? '' : String(b.sha)
  if (sha.length > 40) errors.sha = ['Ensure this field has no more than 40 characters.']
  if (Object.keys(errors).length > 0) throw fieldError(errors)
  return {
    image: String(b.image),
    sha,
    procfile: Object.fromEntries(Object.entries(procfile as object).map(([k, v]) => [k, String(v)])),
    dockerfile: b.dockerfile === undefined || b.dockerfile === null ? '' : String(b.dockerfile),
  }
}

/** POST …/builds/: a new build and release "<user> deployed <image|sha7>", deployed at once. */
async function post(ctx: RouteContext) {
  const {app} = appFor(ctx)
  if (ctx.runtime.imageBuildRefusal) throw detail(400, ctx.runtime.imageBuildRefusal)
  const user = caller(ctx).username
  const fields = readBuild(await ctx.body())
  const build = ctx.store.tx(() => {
    const current = currentRelease(ctx.store, app.id)
    const previous = current.build ? buildByUuid(ctx.store, current.build) : undefined
    const created = insertBuild(ctx.store, app.id, user, fields)
    const summary = `${user} deployed ${created.sha ? created.sha.slice(0, 7) : created.image}`
    insertRelease(ctx.store, app.id, {owner: user, summary, config: current.config, build: created.uuid})
    deploy(ctx.store, findApp(ctx.store, app.id)!, created, previous)
    return created
  })
  await ctx.runtime.changed(app.id)
  return json(201, build)
}

/** The controller ignores the uuid and answers with the current release's build (controller-api §4.9). */
function getOne(ctx: RouteContext) {
  const {app} = appFor(ctx)
  return json(200, currentBuild(ctx.store, app.id) ?? {app: null, image: '', sha: '', procfile: null, dockerfile: ''})
}

export function buildRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/builds/?', 'user', {
    GET: ctx => json(200, paginate(ctx, listBuilds(ctx.store, appFor(ctx).app.id))),
    POST: post,
  })
  router.add('/v2/apps/{app:[a-z0-9-]+}/builds/{uuid:[-_\\w]+}/?', 'user', {GET: getOne})
}
