import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {normalizeController, readCaBundle, type Client} from '../api/client.js'
import type {User} from '../api/types.js'
import type {Context} from '../context.js'
import {DeisError} from '../errors.js'
import {runningLocalAddresses} from '../local/profile.js'
import {removeProfile, type Profile} from './settings.js'
import {forgetToken, keychainAccount} from './token-store.js'

export type LoginRequest = {
  controller: string
  username?: string | undefined
  password?: string | undefined
  sslVerify: boolean
  /** `--ca-bundle`: a PEM file of CAs to trust for this controller, kept in the profile. */
  caBundle?: string | undefined
  /** `--token`: log in with an API token instead of a password. */
  token?: string | undefined
}

export type Registration = LoginRequest & {email?: string | undefined}

export type LoginResult = {username: string; controller: string; profile: string; token_store: 'keychain' | 'file'}

/** The Go client's boolean-as-string flags (`--login`, `--ssl-verify`): only the literal `false` turns them off. */
export function flagEnabled(value: string | undefined): boolean {
  return value !== 'false'
}

/**
 * `--ca-bundle <file>` as the absolute path the profile keeps; checked now (readable, PEM) so a bad
 * file fails before any request, and so later commands run from other directories still find it.
 */
export function caBundlePath(ctx: Context, flag: string | undefined): string | undefined {
  if (flag === undefined) return undefined
  const path = resolve(ctx.cwd, flag)
  readCaBundle(path, readFileSync)
  return path
}

/** Fails unless `GET /v2/` answers 401 without a token, the SDK's "is this a Deis controller?" probe. */
export async function checkController(ctx: Context, c: Client): Promise<void> {
  if (await ctx.apiFor(c).auth.probe()) return
  throw new DeisError(`${c.controller} does not appear to be a valid Deis controller`, {
    hint: 'check the controller URL, that the server is running, and that it speaks the Deis Workflow v2 API',
  })
}

/** The current profile when it points at `controller` (both normalised), else undefined; a broken file counts as none. */
export function profileFor(ctx: Context, controller: string): Profile | undefined {
  try {
    const p = ctx.maybeProfile()
    return p && normalizeController(String(p.controller)) === normalizeController(controller) ? p : undefined
  } catch {
    return undefined
  }
}

/**
 * Registers a user: probe, prompts for what is missing (password twice), `POST /v2/auth/register/`.
 * The current profile's token is sent when it is for the same controller, so an admin can register
 * others where registration is admin-only. Returns the new user and the password used.
 */
export async function register(ctx: Context, req: Registration): Promise<{user: User; password: string}> {
  const current = profileFor(ctx, req.controller)
  const token = async () => (current ? ctx.token(current).catch(() => undefined) : undefined)
  const c = ctx.client(req.controller, {sslVerify: req.sslVerify, caBundle: req.caBundle ?? current?.ca_bundle, token})
  await checkController(ctx, c)
  const username = await ctx.prompt.text('username:', req.username, 'username')
  const password = await ctx.prompt.password('password:', req.password, 'password', 'password (confirm):', 'password mismatch, aborting registration')
  const email = await ctx.prompt.text('email:', req.email, 'email')
  const user = await ctx.apiFor(c).auth.register({username, password, email})
  return {user, password}
}

/**
 * Logs in (probe, prompts for what is missing, `POST /v2/auth/login/`) and saves the profile through
 * ctx.saveLogin; every other key of a profile for the same controller (response_limit, builder, unknown
 * keys) is kept. Prints `Logged in as <u>` and `Configuration file written to <path>` on stderr.
 */
export async function logIn(ctx: Context, req: LoginRequest): Promise<LoginResult> {
  const known = profileFor(ctx, req.controller)
  const caBundle = req.caBundle ?? known?.ca_bundle
  const given = req.token
  const c = ctx.client(req.controller, {sslVerify: req.sslVerify, caBundle, ...(given ? {token: async () => given} : {})})
  await checkController(ctx, c)
  const {username, token} = given ? await tokenUser(ctx, c, given) : await passwordLogin(ctx, c, req)
  const previous = profileFor(ctx, c.controller)
  if (previous?.token_store === 'keychain' && previous.username !== username) {
    await forgetToken(ctx.env, keychainAccount(previous.controller, previous.username))
  }
  const profile: Profile = {
    ...previous,
    // a running local controller's own addresses win over ones saved before it last moved
    ...runningLocalAddresses(c.controller, ctx.env),
    username,
    ssl_verify: req.sslVerify,
    controller: c.controller,
    token,
    response_limit: previous?.response_limit ?? 0,
    ...(caBundle ? {ca_bundle: caBundle} : {}),
  }
  const saved = await ctx.saveLogin(profile)
  ctx.out.note(`Logged in as ${username}`)
  ctx.out.note(`Configuration file written to ${saved.path}`)
  return {username, controller: c.controller, profile: saved.path, token_store: saved.keychain ? 'keychain' : 'file'}
}

async function passwordLogin(ctx: Context, c: Client, req: LoginRequest): Promise<{username: string; token: string}> {
  const username = await ctx.prompt.text('username:', req.username, 'username')
  const password = await ctx.prompt.password('password:', req.password, 'password')
  return {username, token: (await ctx.apiFor(c).auth.login(username, password)).token}
}

/** `login --token`, for CI: the controller says whose token it is; a refused token is the usual AuthError. */
async function tokenUser(ctx: Context, c: Client, token: string): Promise<{username: string; token: string}> {
  return {username: (await ctx.apiFor(c).auth.whoami()).username, token}
}

/** Removes the profile file and forgets its keychain token; a missing or unreadable profile is fine. */
export async function logOut(ctx: Context): Promise<void> {
  let p: Profile | undefined
  try {
    p = ctx.maybeProfile()
  } catch {
    p = undefined
  }
  if (p?.token_store === 'keychain') await forgetToken(ctx.env, keychainAccount(p.controller, p.username))
  removeProfile(ctx.profilePath)
}

/**
 * Stores a token the controller just issued for the profile's own user. With DEIS_TOKEN set the request
 * ran as that token's user, so the profile is left alone and the user is told to replace DEIS_TOKEN.
 */
export async function saveOwnToken(ctx: Context, profile: Profile, token: string): Promise<boolean> {
  if (ctx.env.DEIS_TOKEN) {
    ctx.out.warn('DEIS_TOKEN no longer works: log in again and replace it (the new token is not printed)')
    return false
  }
  await ctx.saveLogin({...profile, token})
  return true
}

/**
 * Cancels an account (`DELETE /v2/auth/cancel/`). Cancelling your own (no username, or a password
 * given) first logs in again, as the Go client does; the confirmation is answered by `yes`. The profile
 * is removed when its own user was cancelled.
 */
export async function cancelAccount(ctx: Context, opts: {username?: string | undefined; password?: string | undefined; yes?: boolean}): Promise<string> {
  let profile = ctx.profile()
  if (!opts.username || opts.password !== undefined) {
    ctx.out.note('Please log in again in order to cancel this account')
    await logIn(ctx, {controller: profile.controller, username: opts.username, password: opts.password, sslVerify: profile.ssl_verify !== false})
    profile = ctx.profile()
  }
  const target = opts.username ?? profile.username
  await ctx.prompt.yes(`cancel account ${target} at ${profile.controller}?`, opts.yes, 'Account not changed')
  await ctx.api.auth.cancel(opts.username)
  if (target === profile.username) await logOut(ctx)
  return target
}
