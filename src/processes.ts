import type {Pod} from './api/types.js'
import {DeisError} from './errors.js'
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

/** How far one process type of the current release is from being up. */
export type TypeProgress = {type: string; desired: number; up: number}

/**
 * Per type (sorted; only `type` when given), how many processes the app's structure wants and how many
 * pods of `release` are `up`; pods of older releases do not count.
 */
export function releaseProgress(structure: Record<string, number>, pods: Pod[], release: string, type?: string): TypeProgress[] {
  const types = Object.keys(structure)
    .filter(t => type === undefined || t === type)
    .sort()
  return types.map(t => ({type: t, desired: structure[t]!, up: pods.filter(p => p.type === t && p.release === release && p.state === 'up').length}))
}

/** `web 1/2 up, worker 0/1 up`: the types of `progress` that are not all up. */
export function notUp(progress: TypeProgress[]): string {
  return progress
    .filter(p => p.up < p.desired)
    .map(p => `${p.type} ${p.up}/${p.desired} up`)
    .join(', ')
}

/**
 * Polls `pods` (about once a second) until every process `structure` wants is up in `release`; past
 * `timeoutMs` it fails naming the types that are not (`worker 0/1 up`) and where to look.
 */
export async function waitUntilUp(o: {
  app: string
  release: string
  structure: Record<string, number>
  type?: string | undefined
  timeoutMs: number
  pods: () => Promise<Pod[]>
}): Promise<TypeProgress[]> {
  const deadline = Date.now() + o.timeoutMs
  for (;;) {
    const progress = releaseProgress(o.structure, await o.pods(), o.release, o.type)
    const missing = notUp(progress)
    if (!missing) return progress
    if (Date.now() >= deadline) throw new DeisError(`timed out after ${o.timeoutMs / 1000}s: ${missing} (${o.release})`, {hint: `see why with \`deis logs --app ${o.app}\``})
    await new Promise(resolve => setTimeout(resolve, Math.min(1000, Math.max(0, deadline - Date.now()))))
  }
}
