import {caller, requireAdmin} from '../http/access.js'
import {objectBody} from '../http/body.js'
import {paginate} from '../http/paging.js'
import {detail, empty, fieldError, forbidden, HttpError, json, notFound} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {appsOwnedBy} from '../model/apps.js'
import {mintToken, revokeAllTokens, revokeTokens} from '../model/tokens.js'
import {checkPassword, deleteUser, findUser, hasSuperuser, hashPassword, insertUser, listUsers, setPassword, userJson, verifyLogin} from '../model/users.js'

const USERNAME = /^[\p{L}\p{N}_.@+-]+$/u
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** DRF CharField checks: required, not null, not blank, max length. Returns the message or undefined. */
function charError(value: unknown, max: number, required = true): string | undefined {
  if (value === undefined) return required ? 'This field is required.' : undefined
  if (value === null) return 'This field may not be null.'
  if (typeof value !== 'string' && typeof value !== 'number') return 'Not a valid string.'
  const s = String(value)
  if (s.trim() === '' && required) return 'This field may not be blank.'
  if (s.length > max) return `Ensure this field has no more than ${max} characters.`
  return undefined
}

async function register(ctx: RouteContext) {
  const mode = ctx.options.registrationMode
  if (mode === 'disabled') throw detail(403, 'Registration is disabled')
  if (mode === 'admin_only' && hasSuperuser(ctx.store) && !ctx.user?.is_superuser) throw forbidden()
  if (ctx.runtime.singleUserReason && listUsers(ctx.store).length > 0) throw detail(403, ctx.runtime.singleUserReason)
  const b = objectBody(await ctx.body())
  const errors: Record<string, string[]> = {}
  if (b.email !== undefined && b.email !== null && b.email !== '' && !EMAIL.test(String(b.email))) errors.email = ['Enter a valid email address.']
  const uErr = charError(b.username, 150)
  if (uErr) errors.username = [uErr]
  else if (!USERNAME.test(String(b.username))) {
    errors.username = ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.']
  } else if (findUser(ctx.store, String(b.username)) || String(b.username) === 'AnonymousUser') {
    errors.username = ['A user with that username already exists.']
  }
  const pErr = charError(b.password, 128)
  if (pErr) errors.password = [pErr]
  for (const f of ['first_name', 'last_name'] as const) {
    const e = charError(b[f], f === 'first_name' ? 30 : 150, false)
    if (e) errors[f] = [e]
  }
  if (Object.keys(errors).length > 0) throw fieldError(errors)
  const hash = await hashPassword(String(b.password).trim())
  // checked again after the hash: another registration may have taken the name or become the first admin meanwhile
  if (findUser(ctx.store, String(b.username))) throw fieldError({username: ['A user with that username already exists.']})
  const user = insertUser(
    ctx.store,
    {
      username: String(b.username),
      email: b.email ? String(b.email) : '',
      first_name: b.first_name ? String(b.first_name) : '',
      last_name: b.last_name ? String(b.last_name) : '',
      is_superuser: !hasSuperuser(ctx.store),
    },
    hash,
  )
  return json(201, userJson(user))
}

async function login(ctx: RouteContext) {
  const b = objectBody(await ctx.body())
  const errors: Record<string, string[]> = {}
  for (const f of ['username', 'password'] as const) {
    const e = charError(b[f], 1000)
    if (e) errors[f] = [e]
  }
  if (Object.keys(errors).length > 0) throw fieldError(errors)
  const username = String(b.username)
  const address = ctx.req.socket.remoteAddress ?? ''
  // a throttled name is refused before its password is looked at, so the right one fails too until the window passes
  ctx.logins.attempt(username, address)
  const user = findUser(ctx.store, username)
  if (!(await verifyLogin(user, String(b.password)))) {
    throw new HttpError(400, {non_field_errors: ['Unable to log in with provided credentials.']})
  }
  ctx.logins.succeed(username, address)
  // only hashes are kept, so the existing token cannot be handed back (the real controller does): each login mints one
  return json(200, {token: mintToken(ctx.store, user!.username)})
}

/** The user a request names in `username`, defaulting to the caller; naming someone else needs admin. */
function target(ctx: RouteContext, username: unknown) {
  const me = caller(ctx)
  if (username === undefined || username === null || username === '' || username === me.username) return me
  if (!me.is_superuser) throw forbidden()
  const other = findUser(ctx.store, String(username))
  if (!other) throw notFound('User')
  return other
}

async function cancel(ctx: RouteContext) {
  const b = objectBody(await ctx.body())
  const user = target(ctx, b.username)
  if (appsOwnedBy(ctx.store, user.username) > 0) {
    throw detail(409, `${user.username} still has applications assigned. Delete or transfer ownership`)
  }
  deleteUser(ctx.store, user.username)
  return empty(204)
}

async function passwd(ctx: RouteContext) {
  const b = objectBody(await ctx.body())
  if (!b.new_password) throw detail(400, 'new_password is a required field')
  const user = target(ctx, b.username)
  if (!caller(ctx).is_superuser) {
    if (!b.password) throw detail(400, 'password is a required field')
    if (!(await checkPassword(String(b.password), user.password))) throw new HttpError(401, {detail: 'Current password does not match'}, {'WWW-Authenticate': 'Token'})
  }
  await setPassword(ctx.store, user.username, String(b.new_password))
  return json(200, {status: 'password set'})
}

async function tokens(ctx: RouteContext) {
  const b = objectBody(await ctx.body())
  const me = caller(ctx)
  if ('all' in b) {
    if (!me.is_superuser) throw forbidden()
    revokeAllTokens(ctx.store)
    return json(200, '')
  }
  const user = target(ctx, b.username)
  // every session of the user ends, not only the one asking: that is what regenerating after a leak needs
  const token = ctx.store.tx(() => {
    revokeTokens(ctx.store, user.username)
    return mintToken(ctx.store, user.username)
  })
  return json(200, {token})
}

export function authRoutes(router: Router): void {
  router
    .add('/v2/auth/register/?', 'anon', {POST: register})
    .add('/v2/auth/login/', 'optional', {POST: login})
    .add('/v2/auth/cancel/?', 'user', {DELETE: cancel})
    .add('/v2/auth/passwd/?', 'user', {POST: passwd})
    .add('/v2/auth/whoami/?', 'user', {GET: ctx => json(200, userJson(caller(ctx)))})
    .add('/v2/auth/tokens/', 'user', {POST: tokens})
    .add('/v2/users/?', 'user', {
      GET: ctx => {
        requireAdmin(ctx)
        return json(200, paginate(ctx, listUsers(ctx.store).map(userJson)))
      },
    })
}
