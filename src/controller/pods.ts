import {createHash, randomInt} from 'node:crypto'
import {logEvent} from './logs.js'
import type {App, Pod, RunResult} from '../api/types.js'
import {detail, HttpError, now} from './http.js'
import {pyString} from './pyrepr.js'
import {currentBuild, currentRelease as latestRelease} from './releases.js'
import type {Store} from './store.js'

type CurrentRelease = {version: number; build: {procfile: Record<string, string>} | null}

/** The release pods belong to and the Procfile of its build (null before the first deploy). */
function currentRelease(store: Store, app: string): CurrentRelease {
  return {version: latestRelease(store, app).version, build: currentBuild(store, app) ?? null}
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** The Deployment-style hash in pod names: stable per app, type and release, 9 or 10 digits. */
function podHash(app: string, type: string, version: number): string {
  return String(createHash('sha1').update(`${app}/${type}/v${version}`).digest().readUInt32BE(0) + 100_000_000)
}

function podName(app: string, type: string, version: number): string {
  let suffix = ''
  for (let i = 0; i < 5; i++) suffix += ALNUM[randomInt(ALNUM.length)]
  return `${app}-${type}-${podHash(app, type, version)}-${suffix}`
}

/** Processes per type the local controller runs at most (`POST /scale/` refuses more). */
export const MAX_PER_TYPE = 100

function addPods(store: Store, app: string, type: string, version: number, n: number): Pod[] {
  const insert = store.db.prepare('INSERT INTO pods (name, app, type, release, state, started) VALUES (?, ?, ?, ?, ?, ?)')
  const taken = new Set(podRows(store, app).map(p => p.name))
  const added: Pod[] = []
  for (let i = 0; i < n; i++) {
    let name = podName(app, type, version)
    while (taken.has(name)) name = podName(app, type, version)
    taken.add(name)
    const pod = {name, state: 'up', release: `v${version}`, type, started: now()}
    insert.run(pod.name, app, pod.type, pod.release, pod.state, pod.started)
    added.push(pod)
  }
  return added
}

const podRows = (store: Store, app: string) =>
  store.db.prepare('SELECT name, state, release, type, started FROM pods WHERE app = ? ORDER BY started DESC, name').all(app) as Pod[]

/**
 * Brings the pod records in line with `structure` for the current release (no runtime yet, so a
 * pod is a record that is always `up`): old-release pods go, missing ones are added, extras removed.
 */
export function reconcile(store: Store, app: App): Pod[] {
  const {version} = currentRelease(store, app.id)
  const release = `v${version}`
  const del = store.db.prepare('DELETE FROM pods WHERE name = ?')
  const byType = new Map<string, Pod[]>()
  for (const pod of podRows(store, app.id)) {
    const wanted = app.structure[pod.type] ?? 0
    const kept = byType.get(pod.type) ?? []
    if (pod.release !== release || kept.length >= wanted) del.run(pod.name)
    else byType.set(pod.type, [...kept, pod])
  }
  for (const [type, n] of Object.entries(app.structure)) addPods(store, app.id, type, version, n - (byType.get(type)?.length ?? 0))
  return podRows(store, app.id)
}

/** The app's pods, newest first; `type` and `name` narrow the list (an unknown name is just an empty list). */
export function listPods(store: Store, app: App, filter: {type?: string | undefined; name?: string | undefined} = {}): Pod[] {
  const pods = store.tx(() => reconcile(store, app))
  return pods.filter(p => (!filter.type || p.type === filter.type) && (!filter.name || p.name === fullName(app.id, filter.name)))
}

/** A short pod name (`web-3374257146-8x2kq`, exactly two hyphens) gets the app prefix, as the controller does. */
function fullName(app: string, name: string): string {
  return name.split('-').length === 3 ? `${app}-${name}` : name
}

/** Replaces the selected pods with fresh ones (new names, new start time) and returns the replacements. */
export function restartPods(store: Store, app: App, filter: {type?: string | undefined; name?: string | undefined}): Pod[] {
  return store.tx(() => {
    const chosen = listPods(store, app, filter)
    const del = store.db.prepare('DELETE FROM pods WHERE name = ?')
    const fresh: Pod[] = []
    for (const pod of chosen) {
      del.run(pod.name)
      fresh.push(...addPods(store, app.id, pod.type, Number(pod.release.slice(1)), 1))
    }
    return fresh
  })
}

/** Python's `int()` on a JSON value, or the message of the exception it would raise. */
function pyInt(v: unknown): number | string {
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number') return Math.trunc(v)
  if (typeof v === 'string') {
    const t = v.trim()
    return /^[+-]?\d+(_\d+)*$/.test(t) ? Number(t.replace(/_/g, '')) : `invalid literal for int() with base 10: ${pyString(v)}`
  }
  const type = v === null ? 'NoneType' : Array.isArray(v) ? 'list' : 'dict'
  return `int() argument must be a string, a bytes-like object or a real number, not '${type}'`
}

/**
 * `POST /scale/` in the controller's order: a build must exist, every count must be an integer >= 0,
 * every type must be in the build's Procfile (`cmd` always is). Merges into `structure`.
 */
/** `POST /scale/`: sets the desired counts and logs `<user> scaled web=4` to the app's log. */
export function scale(store: Store, app: App, body: unknown, user: string): void {
  const release = currentRelease(store, app.id)
  if (!release.build) throw detail(400, 'No build associated with this release')
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw detail(400, 'Invalid scaling format: expected an object of process type to count')
  const counts: Record<string, number> = {}
  for (const [type, raw] of Object.entries(body as Record<string, unknown>)) {
    const n = pyInt(raw)
    if (typeof n === 'string') throw detail(400, `Invalid scaling format: ${n}`)
    counts[type] = n
  }
  if (Object.values(counts).some(n => n < 0)) {
    throw detail(400, "Invalid scaling format: [ErrorDetail(string='Must be greater than or equal to zero', code='invalid')]")
  }
  // a local deviation: the real controller has no bound, but one machine cannot run more
  const tooMany = Object.entries(counts).find(([, n]) => n > MAX_PER_TYPE)
  if (tooMany) throw detail(400, `Invalid scaling format: ${tooMany[0]}=${tooMany[1]} is more than the local controller runs; scale each process type to ${MAX_PER_TYPE} or fewer`)
  for (const type of Object.keys(counts)) {
    if (type !== 'cmd' && !(type in release.build.procfile)) throw new HttpError(404, {detail: `Container type ${type} does not exist in application`})
  }
  store.tx(() => {
    store.updateApp(app.id, {structure: {...app.structure, ...counts}, procfile_structure: release.build!.procfile})
    reconcile(store, store.app(app.id)!)
    logEvent(store, app.id, `${user} scaled ${Object.entries(counts).map(([t, n]) => `${t}=${n}`).join(' ')}`)
  })
}

/**
 * `POST /run`: without a local runtime this answers as the controller's mock scheduler does
 * (transcript #52): exit code 0 and the JSON-encoded pod log "I did stuff today".
 */
export function runCommand(store: Store, app: App, body: unknown): RunResult {
  const command = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).command : undefined
  if (!command) throw detail(400, 'command is a required field')
  if (!currentRelease(store, app.id).build) throw detail(400, 'No build associated with this release to run this command')
  return {exit_code: 0, output: JSON.stringify('I did stuff today')}
}
