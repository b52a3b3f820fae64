import {normalizeController} from '../api/client.js'
import {readProfile, writeProfile} from '../config/settings.js'

/** Where the local builder will listen; `local:start` writes it into a profile pointing at the local controller. */
export const LOCAL_BUILDER = 'ssh://127.0.0.1:2222'

/** True when `controller` names the local controller listening on `port` (127.0.0.1 or localhost). */
export function isLocalController(controller: string, port: number): boolean {
  try {
    const u = new URL(normalizeController(controller))
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(u.hostname) && Number(u.port || 80) === port
  } catch {
    return false
  }
}

/**
 * Sets `builder` to the local builder in the profile at `path` when that profile points at the local
 * controller on `port`; returns whether it does (false: the user still has to register).
 */
export function adoptLocalBuilder(path: string, port: number, env: NodeJS.ProcessEnv): boolean {
  const profile = readProfile(path)
  if (!profile || !isLocalController(String(profile.controller ?? ''), port)) return false
  if (profile.builder !== LOCAL_BUILDER) writeProfile(path, {...profile, builder: LOCAL_BUILDER}, env)
  return true
}
