import {readdirSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {builderAddress, pushRemotes} from '../git/remote.js'
import {deisDir, readProfile, type Profile} from './settings.js'

/** Which profile a command uses and why, for `whoami`. */
export type ProfileChoice = {path: string; reason: string}

/** Host and port of a git remote URL (`ssh://git@host:port/app.git` or `git@host:app.git`), if it is ssh. */
export function remoteAddress(url: string): {host: string; port: number | undefined} | undefined {
  const ssh = /^ssh:\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\//.exec(url)
  if (ssh) return {host: ssh[1]!.replace(/^\[|\]$/g, ''), port: ssh[2] ? Number(ssh[2]) : undefined}
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)/.exec(url)
  return scp ? {host: scp[1]!, port: undefined} : undefined
}

/**
 * Whether a remote at `at` is this profile's builder: its recorded `builder` host and port, or else the host the
 * Go client derives from the controller (`deis-builder.<domain>` for `deis.<domain>`), on any port.
 */
function isBuilderOf(at: {host: string; port: number | undefined}, profile: Profile): boolean {
  let builder: {host: string; port: number}
  try {
    builder = builderAddress(profile)
  } catch {
    return false
  }
  if (builder.host !== at.host) return false
  return profile.builder === undefined || (at.port ?? 22) === builder.port
}

function insideGitRepo(cwd: string): boolean {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (statSync(join(dir, '.git'), {throwIfNoEntry: false})) return true
    if (dirname(dir) === dir) return false
  }
}

/**
 * The profile whose builder the repository's `deis` remote points at, when there is one (the default `client`
 * first, then by name); undefined outside a git repository, without such a remote, or when no profile matches.
 */
export async function profileFromRemote(cwd: string, env: NodeJS.ProcessEnv): Promise<ProfileChoice | undefined> {
  if (!insideGitRepo(cwd)) return undefined
  const dir = deisDir(env)
  let names: string[]
  try {
    names = readdirSync(dir)
      .filter(n => n.endsWith('.json'))
      .sort((a, b) => (a === 'client.json' ? -1 : b === 'client.json' ? 1 : a < b ? -1 : 1))
  } catch {
    return undefined
  }
  if (names.length === 0) return undefined
  const url = (await pushRemotes(cwd))?.find(r => r.name === 'deis')?.url
  const at = url ? remoteAddress(url) : undefined
  if (!at) return undefined
  for (const name of names) {
    const path = join(dir, name)
    let profile: Profile | undefined
    try {
      profile = readProfile(path)
    } catch {
      continue
    }
    if (profile && typeof profile.controller === 'string' && isBuilderOf(at, profile)) {
      return {path, reason: `the git remote "deis" points at its builder ${at.host}${at.port ? `:${at.port}` : ''}`}
    }
  }
  return undefined
}
