import {chmodSync, mkdirSync, readFileSync, unlinkSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import {writeFileAtomic} from '../controller/atomic-file.js'
import {AuthError, UsageError} from '../errors.js'

/** A profile as the Go client writes it, plus whatever other keys the file already held. */
export type Profile = {
  username: string
  ssl_verify: boolean
  controller: string
  token: string
  response_limit: number
  /** `ssh://host:port` overriding the builder derived from the controller host. */
  builder?: string
  /** `http://host:port` of a local router: apps answer at `<app>.<host:port>` (the local controller writes it). */
  router?: string
  /** "keychain" when the token lives in the OS keychain instead of `token`. */
  token_store?: string
  [key: string]: unknown
}

const KEY_ORDER = ['username', 'ssl_verify', 'controller', 'token', 'response_limit']

export function deisDir(env: NodeJS.ProcessEnv): string {
  return join(env.HOME || homedir(), '.deis')
}

/**
 * Where the profile lives: `-c/--config`, else `DEIS_PROFILE` (when set at all), else `client`.
 * A value holding a path separator and ending in `.json` is a path; anything else names ~/.deis/<name>.json.
 */
export function profilePath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  const value = flag ?? env.DEIS_PROFILE ?? 'client'
  if (/[/\\]/.test(value) && value.endsWith('.json')) {
    const expanded = value.startsWith('~/') ? join(env.HOME || homedir(), value.slice(2)) : value
    return isAbsolute(expanded) ? expanded : resolve(cwd, expanded)
  }
  return join(deisDir(env), `${value || 'client'}.json`)
}

/** Reads a profile, or undefined when the file does not exist. */
export function readProfile(path: string): Profile | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const parsed = JSON.parse(text) as Profile
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    return parsed
  } catch (error) {
    throw new UsageError(`profile ${path} is not valid JSON: ${(error as Error).message}`, 'fix the file, or remove it and run `deis login <controller>`')
  }
}

/** Reads a profile that must exist; a missing file means the user has not logged in. */
export function loadProfile(path: string): Profile {
  const p = readProfile(path)
  if (!p) throw new AuthError(`client configuration file not found at ${path}`, "are you logged in? Use 'deis login' or 'deis register' to get started")
  return p
}

/** The page size list commands ask for: the profile's response_limit, 100 when unset or <= 0. */
export function responseLimit(p: Profile | undefined): number {
  const n = Number(p?.response_limit)
  return Number.isInteger(n) && n > 0 ? n : 100
}

/**
 * Writes a profile atomically (temp file + rename), 0600 in a 0700 ~/.deis, compact JSON with the Go
 * client's key order first and every other key kept.
 */
export function writeProfile(path: string, profile: Profile, env: NodeJS.ProcessEnv): void {
  const dir = deisDir(env)
  mkdirSync(dir, {recursive: true, mode: 0o700})
  chmodSync(dir, 0o700)
  mkdirSync(dirname(path), {recursive: true, mode: 0o700})
  const ordered: Record<string, unknown> = {}
  for (const k of KEY_ORDER) if (k in profile) ordered[k] = profile[k]
  for (const [k, v] of Object.entries(profile)) if (!(k in ordered) && v !== undefined) ordered[k] = v
  writeFileAtomic(path, JSON.stringify(ordered))
}

/** Removes a profile file; a missing file is fine. */
export function removeProfile(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
