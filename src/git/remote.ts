import {DeisError} from '../errors.js'
import type {Profile} from '../config/settings.js'

/** Host and port of the builder git pushes go to: the profile's `builder`, else the Go client's derivation. */
export function builderAddress(profile: Pick<Profile, 'controller' | 'builder'>): {host: string; port: number} {
  if (profile.builder) {
    const u = new URL(profile.builder.includes('://') ? profile.builder : `ssh://${profile.builder}`)
    return {host: u.hostname, port: Number(u.port || 2222)}
  }
  const host = new URL(profile.controller).hostname
  const [first, ...rest] = host.split('.')
  return {host: [`${first}-builder`, ...rest].join('.'), port: 2222}
}

/** The remote URL for an app, in the Go client's format `ssh://git@<builder>:<port>/<app>.git`. */
export function remoteUrl(profile: Pick<Profile, 'controller' | 'builder'>, app: string): string {
  const {host, port} = builderAddress(profile)
  return `ssh://git@${host}:${port}/${app}.git`
}

type Remote = {name: string; url: string}

async function git(cwd: string) {
  const {simpleGit} = await import('simple-git')
  return simpleGit({baseDir: cwd})
}

/** Push remotes in `git remote -v` order, or undefined outside a git repository. */
export async function pushRemotes(cwd: string): Promise<Remote[] | undefined> {
  try {
    const g = await git(cwd)
    if (!(await g.checkIsRepo())) return undefined
    const remotes = await g.getRemotes(true)
    return remotes.map(r => ({name: r.name, url: r.refs.push}))
  } catch {
    return undefined
  }
}

function pointsAtBuilder(url: string, profile: Pick<Profile, 'controller' | 'builder'>): boolean {
  const {host, port} = builderAddress(profile)
  const m = /^ssh:\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\//.exec(url)
  if (m) return m[1] === host && (profile.builder === undefined || Number(m[2] ?? 22) === port)
  return url.includes(host)
}

/** The app a remote URL names: its last path segment cut at the first `.` (`.../example-app.git`). */
function appOf(url: string): string | undefined {
  const last = url.split('/').pop() ?? ''
  return last.split('.')[0] || undefined
}

/** The app named by the first remote whose URL points at this controller's builder. */
export async function appFromRemote(cwd: string, profile: Pick<Profile, 'controller' | 'builder'>): Promise<string | undefined> {
  const remotes = (await pushRemotes(cwd)) ?? []
  const hit = remotes.find(r => pointsAtBuilder(r.url, profile))
  return hit ? appOf(hit.url) : undefined
}

function remoteExists(name: string, app: string): DeisError {
  return new DeisError(`A git remote with the name ${name} already exists. To overwrite this remote run:\ndeis git:remote --force --remote ${name} --app ${app}`)
}

/** Runs one git command, failing with the Go client's `Error when running 'git <args>'` and git's stderr. */
async function run(cwd: string, args: string[]): Promise<void> {
  const g = await git(cwd)
  try {
    await g.raw(args)
  } catch (error) {
    throw new DeisError(`Error when running 'git ${args.join(' ')}'\n${String((error as Error).message).trim()}`)
  }
}

/**
 * Whether `cwd` is a git repository, checked before apps:create asks the controller so that an
 * existing remote `name` fails with nothing created (`app` fills the overwrite hint).
 */
export async function canAddRemote(cwd: string, name: string, app = '<app>'): Promise<boolean> {
  const remotes = await pushRemotes(cwd)
  if (remotes?.some(r => r.name === name)) throw remoteExists(name, app)
  return remotes !== undefined
}

/** Adds a remote; an existing name is an error that says how to overwrite it. */
export async function addRemote(cwd: string, name: string, url: string, app: string): Promise<void> {
  const remotes = (await pushRemotes(cwd)) ?? []
  if (remotes.some(r => r.name === name)) throw remoteExists(name, app)
  await run(cwd, ['remote', 'add', name, url])
}

/** Removes one remote; git's refusal is the Go client's `Error when running` error. */
export async function removeRemote(cwd: string, name: string): Promise<void> {
  await run(cwd, ['remote', 'remove', name])
}

/**
 * git:remote: points remote `name` at `url` and says what it did. A remote with another URL is replaced
 * only with `force` (after `replacing` runs, so the user sees `Deleting git remote`), else a 3-line error.
 */
export async function ensureRemote(
  cwd: string,
  name: string,
  url: string,
  opts: {app: string; force: boolean; replacing: () => void},
): Promise<'created' | 'unchanged' | 'replaced'> {
  const remotes = await pushRemotes(cwd)
  if (!remotes) throw new DeisError('not a git repository', {hint: "run it inside the app's git repository, or `git init` one first"})
  const current = remotes.find(r => r.name === name)?.url
  if (current === url) return 'unchanged'
  if (current !== undefined) {
    if (!opts.force) {
      throw new DeisError(
        [`Remote ${name} already exists, please run 'deis git:remote -f' to overwrite`, `Existing remote URL: ${current}`, `When forced, will overwrite with: ${url}`].join(
          '\n',
        ),
      )
    }
    opts.replacing()
    await removeRemote(cwd, name)
  }
  await addRemote(cwd, name, url, opts.app)
  return current === undefined ? 'created' : 'replaced'
}

/**
 * git:remove: removes every remote pointing at this controller's builder for `app` (whatever user or
 * `.git` spelling its URL has) and returns their names; none is the Go client's error.
 */
export async function removeAppRemotes(cwd: string, profile: Pick<Profile, 'controller' | 'builder'>, app: string): Promise<string[]> {
  const names = ((await pushRemotes(cwd)) ?? []).filter(r => pointsAtBuilder(r.url, profile) && appOf(r.url) === app).map(r => r.name)
  if (names.length === 0) throw new DeisError("Could not find remote matching app in 'git remote -v'")
  for (const name of names) await removeRemote(cwd, name)
  return names
}

/** apps:destroy's clean-up after the app is gone: removeAppRemotes that never throws; returns a warning instead. */
export async function forgetAppRemotes(cwd: string, profile: Pick<Profile, 'controller' | 'builder'>, app: string): Promise<string | undefined> {
  try {
    await removeAppRemotes(cwd, profile, app)
    return undefined
  } catch (error) {
    return `Warning: app ${app} was destroyed but its git remotes were not removed: ${(error as Error).message}`
  }
}
