import {normalizeController} from '../api/client.js'
import type {LocalInstance} from '../controller/daemon.js'
import {readProfile, writeProfile, type Profile} from '../config/settings.js'
import {liveInstances} from './instance.js'

/** Where the local builder listens by default; a daemon records its real address in its pid file. */
export const LOCAL_BUILDER = 'ssh://127.0.0.1:2222'

/** The profile keys that tell the CLI where a local controller's git pushes go and where its apps answer. */
export type LocalAddresses = Pick<Profile, 'builder' | 'router'>

function sameController(a: string, b: string): boolean {
  try {
    return normalizeController(a) === normalizeController(b)
  } catch {
    return false
  }
}

function addressesOf(rec: LocalInstance): LocalAddresses {
  return {builder: rec.builder ?? LOCAL_BUILDER, ...(rec.router ? {router: rec.router} : {})}
}

/**
 * Writes the running local controller's builder and router into the profile at `path` when that
 * profile points at it, or at `formerUrl` (this data dir's address before a flag moved it: the
 * profile follows); returns whether it does (false: the user still has to log in or register).
 */
export function adoptLocalAddresses(path: string, instance: LocalInstance, env: NodeJS.ProcessEnv, formerUrl?: string): boolean {
  const profile = readProfile(path)
  const controller = String(profile?.controller ?? '')
  if (!profile || !(sameController(controller, instance.url) || (formerUrl !== undefined && sameController(controller, formerUrl)))) return false
  const wanted = {...profile, controller: sameController(controller, instance.url) ? profile.controller : instance.url, ...addressesOf(instance)}
  if (wanted.controller !== profile.controller || profile.builder !== wanted.builder || profile.router !== wanted.router) writeProfile(path, wanted, env)
  return true
}

/**
 * The builder and router of the running local controller at `controller`, looked up among the data
 * dirs local:start remembered (local files only: a remote controller is never probed); {} for any other.
 */
export function runningLocalAddresses(controller: string, env: NodeJS.ProcessEnv): LocalAddresses {
  const found = liveInstances(env).find(({instance}) => sameController(instance.url, controller))
  return found ? addressesOf(found.instance) : {}
}
