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

/** The app named by the first remote whose URL points at this controller's builder. */
export async function appFromRemote(cwd: string, profile: Pick<Profile, 'controller' | 'builder'>): Promise<string | undefined> {
  const remotes = (await pushRemotes(cwd)) ?? []
  const hit = remotes.find(r => pointsAtBuilder(r.url, profile))
  if (!hit) return undefined
  const last = hit.url.split('/').pop() ?? ''
  return last.split('.')[0] || undefined
}

export async function isRepo(cwd: string): Promise<boolean> {
  return (await pushRemotes(cwd)) !== undefined
}

/** Adds a remote; an existing name is an error that says how to overwrite it. */
export async function addRemote(cwd: string, name: string, url: string, app: string): Promise<void> {
  const remotes = (await pushRemotes(cwd)) ?? []
  if (remotes.some(r => r.name === name)) {
    throw new DeisError(
      `A git remote with the name ${name} already exists. To overwrite this remote run:\ndeis git:remote --force --remote ${name} --app ${app}`,
    )
  }
  const g = await git(cwd)
  try {
    await g.addRemote(name, url)
  } catch (error) {
    throw new DeisError(`Error when running 'git remote add ${name} ${url}'\n${String((error as Error).message).trim()}`)
  }
}

export async function removeRemote(cwd: string, name: string): Promise<void> {
  const g = await git(cwd)
  await g.removeRemote(name)
}

/** Names of remotes whose push URL is exactly `url`. */
export async function remotesWithUrl(cwd: string, url: string): Promise<string[]> {
  return ((await pushRemotes(cwd)) ?? []).filter(r => r.url === url).map(r => r.name)
}

/** The push URL of a remote, or undefined when it does not exist. */
export async function remoteUrlOf(cwd: string, name: string): Promise<string | undefined> {
  return ((await pushRemotes(cwd)) ?? []).find(r => r.name === name)?.url
}
