import {normalizeController} from '../api/client.js'
import type {LocalInstance} from '../controller/daemon.js'
import {readProfile, writeProfile, type Profile} from '../config/settings.js'
import {isOurDaemon, localPaths, readInstance} from './instance.js'

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
 * profile points at it; returns whether it does (false: the user still has to register).
 */
export function adoptLocalAddresses(path: string, instance: LocalInstance, env: NodeJS.ProcessEnv): boolean {
  const profile = readProfile(path)
  if (!profile || !sameController(String(profile.controller ?? ''), instance.url)) return false
  const addresses = addressesOf(instance)
  if (profile.builder !== addresses.builder || profile.router !== addresses.router) writeProfile(path, {...profile, ...addresses}, env)
  return true
}

/**
 * The builder and router of the local controller at `controller` when it runs from the default data
 * dir, so that `register`/`login` after `local:start` record them; nothing for any other controller.
 */
export function runningLocalAddresses(controller: string, env: NodeJS.ProcessEnv): LocalAddresses {
  const rec = readInstance(localPaths(undefined, env))
  if (!rec || rec.state !== 'running' || !sameController(rec.url, controller) || !isOurDaemon(rec)) return {}
  return addressesOf(rec)
}
