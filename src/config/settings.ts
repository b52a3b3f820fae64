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
  /** A PEM file of CA certificates trusted for this controller (`login --ca-bundle`), an absolute path. */
  ca_bundle?: string
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

const FIX = 'fix the file, or remove it and run `deis login <controller>`'

/** The type each known profile key must have; any other key is kept as it is. */
const KEY_TYPES: Record<string, 'string' | 'boolean' | 'number'> = {
  username: 'string',
  ssl_verify: 'boolean',
  controller: 'string',
  token: 'string',
  response_limit: 'number',
  builder: 'string',
  router: 'string',
  token_store: 'string',
  ca_bundle: 'string',
}

/** A one-line error for a profile whose known keys have the wrong type or whose controller is not a URL. */
function checkProfile(path: string, p: Record<string, unknown>): Profile {
  for (const [key, type] of Object.entries(KEY_TYPES)) {
    const value = p[key]
    if (value === undefined || value === null || typeof value === type) continue
    throw new UsageError(`profile ${path}: "${key}" must be a ${type}, not ${JSON.stringify(value)}`, FIX)
  }
  if (typeof p.controller !== 'string' || p.controller === '') throw new UsageError(`profile ${path} names no controller`, FIX)
  try {
    new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(p.controller) ? p.controller : `http://${p.controller}`)
  } catch {
    throw new UsageError(`profile ${path}: controller ${JSON.stringify(p.controller)} is not a URL`, FIX)
  }
  return p as Profile
}

/** Reads a profile, or undefined when the file does not exist; a broken one is a one-line error. */
export function readProfile(path: string): Profile | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    const why =
      code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (error as Error).message})`
    const fix = code === 'EACCES' ? `give yourself read access (\`chmod 600 ${path}\`)` : 'remove it, or pass -c <profile> to use another profile'
    throw new UsageError(`profile ${path} ${why}`, fix)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`profile ${path} is not valid JSON (${(error as Error).message})`, FIX)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`profile ${path} is not a JSON object`, FIX)
  return checkProfile(path, parsed as Record<string, unknown>)
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
