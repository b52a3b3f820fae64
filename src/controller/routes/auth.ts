import {caller, requireAdmin} from '../access.js'
import {detail, fieldError, HttpError, json, empty, notFound, forbidden} from '../http.js'
import type {RouteContext, Router} from '../router.js'
import {checkPassword, userJson} from '../store.js'
import {paginate} from '../paging.js'
import {runtimeOf} from '../runtime/registry.js'

type Body = Record<string, unknown>

const USERNAME = /^[\p{L}\p{N}_.@+-]+$/u
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

async function objectBody(ctx: RouteContext): Promise<Body> {
  const body = await ctx.body()
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, {non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(body) ? 'list' : typeof body}.`]})
  }
  return body as Body
}

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

/** Without isolation every app could read every user's token from the database, so one user is all it serves. */
function singleUser(sandbox: {mechanism: string; fix: string}): string {
  return `this local controller cannot isolate apps from each other and from its own files (sandbox: ${sandbox.mechanism}), so it serves one user only; ${sandbox.fix}, then restart it with "deis local:stop" and "deis local:start"`
}

function registrationMode(): string {
  return process.env.DEIS_REGISTRATION_MODE ?? 'enabled'
}

async function register(ctx: RouteContext) {
  const mode = registrationMode()
  if (mode === 'disabled') throw detail(403, 'Registration is disabled')
  if (mode === 'admin_only' && ctx.store.hasSuperuser() && !ctx.user?.is_superuser) throw forbidden()
  const sandbox = runtimeOf(ctx.store)?.sandbox
  if (sandbox && !sandbox.isolated && ctx.store.users().length > 0) throw detail(403, singleUser(sandbox))
  const b = await objectBody(ctx)
  const errors: Record<string, string[]> = {}
  if (b.email !== undefined && b.email !== null && b.email !== '' && !EMAIL.test(String(b.email))) errors.email = ['Enter a valid email address.']
  const uErr = charError(b.username, 150)
  if (uErr) errors.username = [uErr]
  else if (!USERNAME.test(String(b.username))) {
    errors.username = ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.']
  } else if (ctx.store.user(String(b.username)) || String(b.username) === 'AnonymousUser') {
    errors.username = ['A user with that username already exists.']
  }
  const pErr = charError(b.password, 128)
  if (pErr) errors.password = [pErr]
  for (const f of ['first_name', 'last_name'] as const) {
    const e = charError(b[f], f === 'first_name' ? 30 : 150, false)
    if (e) errors[f] = [e]
  }
  if (Object.keys(errors).length > 0) throw fieldError(errors)
  const user = ctx.store.tx(() =>
    ctx.store.createUser({
      username: String(b.username),
      password: String(b.password).trim(),
      email: b.email ? String(b.email) : '',
      first_name: b.first_name ? String(b.first_name) : '',
      last_name: b.last_name ? String(b.last_name) : '',
      is_superuser: !ctx.store.hasSuperuser(),
    }),
  )
  return json(201, userJson(user))
}

async function login(ctx: RouteContext) {
  const b = await objectBody(ctx)
  const errors: Record<string, string[]> = {}
  for (const f of ['username', 'password'] as const) {
    const e = charError(b[f], 1000)
    if (e) errors[f] = [e]
  }
  if (Object.keys(errors).length > 0) throw fieldError(errors)
  const user = ctx.store.user(String(b.username))
  if (!user || !user.is_active || !checkPassword(String(b.password), user.password)) {
    throw new HttpError(400, {non_field_errors: ['Unable to log in with provided credentials.']})
  }
  return json(200, {token: user.token})
}

/** The user a request names in `username`, defaulting to the caller; naming someone else needs admin. */
function target(ctx: RouteContext, username: unknown) {
  const me = caller(ctx)
  if (username === undefined || username === null || username === '' || username === me.username) return me
  if (!me.is_superuser) throw forbidden()
  const other = ctx.store.user(String(username))
  if (!other) throw notFound('User')
  return other
}

async function cancel(ctx: RouteContext) {
  const b = await objectBody(ctx)
  const user = target(ctx, b.username)
  if (ctx.store.appsOwnedBy(user.username) > 0) {
    throw detail(409, `${user.username} still has applications assigned. Delete or transfer ownership`)
  }
  ctx.store.deleteUser(user.username)
  return empty(204)
}

async function passwd(ctx: RouteContext) {
  const b = await objectBody(ctx)
  if (!b.new_password) throw detail(400, 'new_password is a required field')
  const user = target(ctx, b.username)
  if (!caller(ctx).is_superuser) {
    if (!b.password) throw detail(400, 'password is a required field')
    if (!checkPassword(String(b.password), user.password)) throw new HttpError(401, {detail: 'Current password does not match'}, {'WWW-Authenticate': 'Token'})
  }
  ctx.store.setPassword(user.username, String(b.new_password))
  return json(200, {status: 'password set'})
}

async function tokens(ctx: RouteContext) {
  const b = await objectBody(ctx)
  const me = caller(ctx)
  if ('all' in b) {
    if (!me.is_superuser) throw forbidden()
    ctx.store.tx(() => {
      for (const u of ctx.store.users()) ctx.store.rotateToken(u.username)
    })
    return json(200, '')
  }
  const user = target(ctx, b.username)
  return json(200, {token: ctx.store.rotateToken(user.username)})
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
        return json(200, paginate(ctx, ctx.store.users().map(userJson)))
      },
    })
}
