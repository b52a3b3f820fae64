import {normalizeController} from '../api/client.js'
import type {LocalInstance} from '../controller/daemon.js'
import {readProfile, writeProfile} from '../config/settings.js'
import {isOurDaemon, localPaths, readInstance} from './instance.js'

/** Where the local builder listens by default; a daemon records its real address in its pid file. */
export const LOCAL_BUILDER = 'ssh://127.0.0.1:2222'

function sameController(a: string, b: string): boolean {
  try {
    return normalizeController(a) === normalizeController(b)
  } catch {
    return false
  }
}

/**
 * Sets `builder` to the running local controller's builder in the profile at `path` when that profile
 * points at it; returns whether it does (false: the user still has to register).
 */
export function adoptLocalBuilder(path: string, instance: LocalInstance, env: NodeJS.ProcessEnv): boolean {
  const profile = readProfile(path)
  if (!profile || !sameController(String(profile.controller ?? ''), instance.url)) return false
  const builder = instance.builder ?? LOCAL_BUILDER
  if (profile.builder !== builder) writeProfile(path, {...profile, builder}, env)
  return true
}

/**
 * The builder of the local controller at `controller` when it runs from the default data dir, so that
 * `register`/`login` after `local:start` record where `git push` goes; undefined for any other controller.
 */
export function runningLocalBuilder(controller: string, env: NodeJS.ProcessEnv): string | undefined {
  const rec = readInstance(localPaths(undefined, env))
  if (!rec || rec.state !== 'running' || !sameController(rec.url, controller) || !isOurDaemon(rec)) return undefined
  return rec.builder ?? LOCAL_BUILDER
}
