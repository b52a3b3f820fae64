import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync} from 'node:fs'
import {isAbsolute, join, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The built-in buildpacks, tried in this order when the app names none. */
export const BUILTIN_ORDER = ['nodejs', 'python', 'go', 'ruby', 'php', 'java', 'static', 'procfile'] as const

/** Where the built-in buildpacks live (copied beside the compiled runner by `npm run build`). */
export const BUILTIN_DIR = fileURLToPath(new URL('./builtin', import.meta.url))

/** A buildpack the app asked for: where the name came from is kept for the build output. */
export type Requested = {url: string; why: string; byAdmin: boolean}

export type SelectOptions = {
  /** Cached clones of git buildpacks go here, one directory per URL and ref. */
  cacheDir: string
  /** Directories the operator allowed local buildpacks from (`local:start --buildpack-dir`). */
  allowedDirs: string[]
  say: (line: string) => void
}

/**
 * The buildpacks the app names: BUILDPACK_URL from its config (`byAdmin` when an admin set it), else the lines of
 * a `.buildpacks` file in the build; empty when it names none and detection decides.
 */
export function requestedBuildpacks(buildDir: string, buildpackUrl: string | undefined, byAdmin: boolean): Requested[] {
  if (buildpackUrl?.trim()) return [{url: buildpackUrl.trim(), why: 'BUILDPACK_URL is set in the config', byAdmin}]
  const file = join(buildDir, '.buildpacks')
  if (!existsSync(file)) return []
  const urls = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))
  return urls.map((url, i) => ({url, why: `.buildpacks names it (${i + 1} of ${urls.length})`, byAdmin: false}))
}

function isLocal(url: string): boolean {
  return url.startsWith('file://') || isAbsolute(url)
}

function git(args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {cwd, env: {...(process.env as Record<string, string>), GIT_TERMINAL_PROMPT: '0'}, stdio: ['ignore', 'ignore', 'pipe']})
    let errors = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (errors += d))
    child.on('error', reject)
    child.on('close', code => (code === 0 ? resolve() : reject(new Error(errors.trim().split('\n').at(-1) ?? `git ${args[0]} failed`))))
  })
}

/** True when `dir` is `root` or inside it, both with symlinks resolved. */
function inside(dir: string, root: string): boolean {
  try {
    const real = realpathSync(root)
    return dir === real || dir.startsWith(real.endsWith(sep) ? real : real + sep)
  } catch {
    return false
  }
}

/**
 * A directory holding the buildpack `req` names: a local directory as it is, a git repository (remote, or local
 * with a `#ref`) cloned once into the cache and checked out at the ref. Local paths are read only when an admin
 * set them or they lie under a directory the operator allowed, so no user can make the builder read host files.
 */
export async function fetchBuildpack(req: Requested, opts: SelectOptions): Promise<string> {
  const hash = req.url.indexOf('#')
  const base = hash >= 0 ? req.url.slice(0, hash) : req.url
  const ref = hash >= 0 ? req.url.slice(hash + 1) : ''
  if (isLocal(base)) {
    const path = base.startsWith('file://') ? fileURLToPath(base) : base
    let real: string
    try {
      real = realpathSync(path)
    } catch {
      throw new Error(`buildpack ${req.url}: ${path} does not exist`)
    }
    if (!req.byAdmin && !opts.allowedDirs.some(d => inside(real, d))) {
      throw new Error(
        `buildpack ${req.url}: local buildpacks must lie under a directory the operator allowed (deis local:start --buildpack-dir <dir>), or be set in BUILDPACK_URL by an admin`,
      )
    }
    if (!statSync(real).isDirectory()) throw new Error(`buildpack ${req.url}: ${path} is not a directory`)
    const repo = existsSync(join(real, '.git')) || (existsSync(join(real, 'HEAD')) && existsSync(join(real, 'objects')))
    if (!ref || !repo) {
      if (ref) throw new Error(`buildpack ${req.url}: #${ref} needs a git repository, and ${path} is not one`)
      return real
    }
    return clone(real, ref, req.url, opts)
  }
  if (!/^(https?|git|ssh):\/\/|^[\w.-]+@[\w.-]+:/.test(base)) throw new Error(`buildpack ${req.url}: not a git URL (https://…, ssh://…, git@host:path) or a local path`)
  return clone(base, ref, req.url, opts)
}

async function clone(source: string, ref: string, url: string, opts: SelectOptions): Promise<string> {
  const dir = join(opts.cacheDir, createHash('sha256').update(url).digest('hex').slice(0, 16))
  if (existsSync(join(dir, '.git'))) {
    opts.say(`       Using the cached clone of ${url}`)
    return dir
  }
  opts.say(`       Cloning ${url}`)
  mkdirSync(opts.cacheDir, {recursive: true})
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`
  try {
    await git(['clone', '--quiet', ...(ref ? [] : ['--depth', '1']), '--', source, tmp])
    if (ref) await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', ref], tmp)
    rmSync(dir, {recursive: true, force: true})
    renameSync(tmp, dir)
  } catch (error) {
    rmSync(tmp, {recursive: true, force: true})
    throw new Error(`buildpack ${url}: git could not fetch it: ${(error as Error).message}`)
  }
  return dir
}

/**
 * Copies a buildpack into this build's own directory and runs it from there: the cached copy is never written
 * (a buildpack's `export` file and anything else it writes beside itself land in the copy).
 */
export function stageBuildpack(source: string, dest: string): string {
  rmSync(dest, {recursive: true, force: true})
  cpSync(source, dest, {recursive: true, filter: src => !src.endsWith(`${sep}.git`)})
  return dest
}
