import {caller} from '../http/access.js'
import {objectBody} from '../http/body.js'
import {paginate} from '../http/paging.js'
import {empty, fieldError, json, notFound} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {deleteKey, fingerprint, insertKey, keyBlob, keyClashes, keyOf, keysForUser} from '../model/keys.js'

/** DRF CharField: required, not null, trimmed, not blank, at most `max` characters. */
function charField(value: unknown, max: number): {value?: string; error?: string} {
  if (value === undefined) return {error: 'This field is required.'}
  if (value === null) return {error: 'This field may not be null.'}
  if (typeof value !== 'string' && typeof value !== 'number') return {error: 'Not a valid string.'}
  const s = String(value).trim()
  if (s === '') return {error: 'This field may not be blank.'}
  if (s.length > max) return {error: `Ensure this field has no more than ${max} characters.`}
  return {value: s}
}

async function create(ctx: RouteContext) {
  const user = caller(ctx)
  const b = objectBody(await ctx.body())
  const id = charField(b.id, 128)
  const pub = charField(b.public, Number.MAX_SAFE_INTEGER)
  const blob = pub.value === undefined ? undefined : keyBlob(pub.value)
  const fp = blob && fingerprint(blob)
  const clash = keyClashes(ctx.store, {id: id.value ?? '', public: pub.value ?? '', fingerprint: fp ?? ''})
  const errors: Record<string, string[]> = {}
  if (id.error) errors.id = [id.error]
  else if (clash.id) errors.id = ['SSH Key with this id already exists.']
  if (pub.error) errors.public = [pub.error]
  else if (!fp) errors.public = ['Key contains invalid base64 chars']
  // the real controller answers 500 for the same key material under another comment; one owner per key
  // keeps `keyOwnerByFingerprint` unambiguous for the builder
  else if (clash.public) errors.public = ['Public Key is already in use']
  if (Object.keys(errors).length > 0) throw fieldError(errors)
  return json(201, insertKey(ctx.store, user.username, {id: id.value!, public: pub.value!, fingerprint: fp!}))
}

function owned(ctx: RouteContext) {
  const key = keyOf(ctx.store, caller(ctx).username, ctx.params.id ?? '')
  if (!key) throw notFound('Key')
  return key
}

/** SSH keys, strictly per owner even for admins; `/v2/keys/{id}` takes no trailing slash (the id is "anything"). */
export function keyRoutes(router: Router): void {
  router
    .add('/v2/keys/?', 'user', {
      GET: ctx => json(200, paginate(ctx, keysForUser(ctx.store, caller(ctx).username))),
      POST: create,
    })
    .add('/v2/keys/{id:.+}', 'user', {
      GET: ctx => json(200, owned(ctx)),
      DELETE: ctx => {
        const key = owned(ctx)
        deleteKey(ctx.store, key.owner, key.id)
        return empty(204)
      },
    })
}
