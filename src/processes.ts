import type {Output} from './output/output.js'
import {checkRestartTarget} from './parse/names.js'

/**
 * The Go client's slow-step idiom for scale and restart: `<Action> processes... but first, <drink>!`,
 * then `done in <N>s` once the controller answers. The drink comes from DEIS_DRINK_OF_CHOICE.
 */
export async function withCoffee<T>(out: Output, env: NodeJS.ProcessEnv, action: string, work: () => Promise<T>): Promise<T> {
  out.note(`${action} processes... but first, ${env.DEIS_DRINK_OF_CHOICE || 'coffee'}!`)
  const started = Date.now()
  const result = await work()
  out.note(`done in ${Math.floor((Date.now() - started) / 1000)}s`)
  return result
}

/**
 * What `ps:restart <target>` restarts: nothing given is every pod, a word without `-` a process
 * type, anything else a pod name whose type is what precedes `-<hash>-<suffix>` once the app prefix
 * is dropped (so hyphenated types work, unlike the Go client's first-part guess).
 */
export function restartTarget(app: string, target: string | undefined): {type?: string; name?: string} {
  if (!target) return {}
  checkRestartTarget(target)
  if (!target.includes('-')) return {type: target}
  const rest = target.startsWith(`${app}-`) ? target.slice(app.length + 1) : target
  const deployment = /^(.+)-[0-9]{7,10}-[a-z0-9]{5}$/.exec(rest)
  const type = deployment ? deployment[1]! : (rest.split('-')[1] ?? rest)
  return {type, name: target}
}
