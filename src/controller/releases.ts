import {randomUUID} from 'node:crypto'
import type {App, Build, Config, Release} from '../api/types.js'
import {detail, now} from './http.js'
import {logEvent} from './logs.js'
import type {Store} from './store.js'

/** The config maps in the controller's JSON key order (hephy's three included). */
export const CONFIG_MAPS = [
  'values',
  'memory',
  'lifecycle_post_start',
  'lifecycle_pre_stop',
  'cpu',
  'tags',
  'registry',
  'healthcheck',
  'termination_grace_period',
] as const

export type ConfigMaps = Pick<Config, (typeof CONFIG_MAPS)[number]>

type ConfigRow = {uuid: string; app: string; owner: string; maps: string; created: string; updated: string}
type BuildRow = Omit<Build, 'procfile'> & {procfile: string}
type ReleaseRow = Omit<Release, 'failed'> & {failed: number}

export function emptyMaps(): ConfigMaps {
  return Object.fromEntries(CONFIG_MAPS.map(k => [k, {}])) as unknown as ConfigMaps
}

function configJson(row: ConfigRow): Config {
  const maps = {...emptyMaps(), ...(JSON.parse(row.maps) as Partial<ConfigMaps>)}
  return {uuid: row.uuid, app: row.app, owner: row.owner, ...maps, created: row.created, updated: row.updated}
}

function buildJson(row: BuildRow): Build {
  return {
    owner: row.owner,
    app: row.app,
    image: row.image,
    sha: row.sha,
    procfile: JSON.parse(row.procfile) as Record<string, string>,
    dockerfile: row.dockerfile,
    created: row.created,
    updated: row.updated,
    uuid: row.uuid,
  }
}

function releaseJson(row: ReleaseRow): Release {
  return {
    uuid: row.uuid,
    app: row.app,
    owner: row.owner,
    created: row.created,
    updated: row.updated,
    version: row.version,
    summary: row.summary,
    failed: Boolean(row.failed),
    exception: row.exception,
    config: row.config,
    build: row.build,
  }
}

export function insertConfig(store: Store, app: string, owner: string, maps: ConfigMaps): Config {
  const ts = now()
  const uuid = randomUUID()
  store.db.prepare('INSERT INTO configs (uuid, app, owner, maps, created, updated) VALUES (?, ?, ?, ?, ?, ?)').run(uuid, app, owner, JSON.stringify(maps), ts, ts)
  return configByUuid(store, uuid)!
}

export function configByUuid(store: Store, uuid: string): Config | undefined {
  const row = store.db.prepare('SELECT * FROM configs WHERE uuid = ?').get(uuid) as ConfigRow | undefined
  return row && configJson(row)
}

export function insertBuild(store: Store, app: string, owner: string, b: Pick<Build, 'image' | 'sha' | 'procfile' | 'dockerfile'>): Build {
  const ts = now()
  const uuid = randomUUID()
  store.db
    .prepare('INSERT INTO builds (uuid, app, owner, image, sha, procfile, dockerfile, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(uuid, app, owner, b.image, b.sha, JSON.stringify(b.procfile), b.dockerfile, ts, ts)
  return buildByUuid(store, uuid)!
}

export function buildByUuid(store: Store, uuid: string): Build | undefined {
  const row = store.db.prepare('SELECT * FROM builds WHERE uuid = ?').get(uuid) as BuildRow | undefined
  return row && buildJson(row)
}

/** Every build of an app, newest first. */
export function builds(store: Store, app: string): Build[] {
  return (store.db.prepare('SELECT * FROM builds WHERE app = ? ORDER BY seq DESC').all(app) as BuildRow[]).map(buildJson)
}

/** Every release of an app (failed ones too), newest first. */
export function releases(store: Store, app: string): Release[] {
  ensureInitialRelease(store, app)
  return (store.db.prepare('SELECT * FROM releases WHERE app = ? ORDER BY version DESC').all(app) as ReleaseRow[]).map(releaseJson)
}

export function release(store: Store, app: string, version: number): Release | undefined {
  ensureInitialRelease(store, app)
  const row = store.db.prepare('SELECT * FROM releases WHERE app = ? AND version = ?').get(app, version) as ReleaseRow | undefined
  return row && releaseJson(row)
}

/**
 * The app's current release: the latest one that did not fail. Apps that predate this module
 * (or were inserted straight into the store) get their config #1 and v1 here on first use.
 */
export function currentRelease(store: Store, app: string): Release {
  ensureInitialRelease(store, app)
  const row = store.db.prepare('SELECT * FROM releases WHERE app = ? AND failed = 0 ORDER BY version DESC LIMIT 1').get(app) as ReleaseRow
  return releaseJson(row)
}

/** The build of the current release, or undefined before the first deploy (scale then answers 400). */
export function currentBuild(store: Store, app: string): Build | undefined {
  const build = currentRelease(store, app).build
  return build ? buildByUuid(store, build) : undefined
}

/** The config of the current release (what `GET …/config/` shows). */
export function currentConfig(store: Store, app: string): Config {
  return configByUuid(store, currentRelease(store, app).config)!
}

/** Highest version of any release, failed ones included: the next release is this plus one. */
function latestVersion(store: Store, app: string): number {
  return (store.db.prepare('SELECT MAX(version) AS v FROM releases WHERE app = ?').get(app) as {v: number | null}).v ?? 0
}

/** Creates release v(n+1); `failed` records a release whose deploy failed, as the controller keeps those. */
export function insertRelease(
  store: Store,
  app: string,
  r: {owner: string; summary: string; config: string; build: string | null; failed?: boolean; exception?: string | null},
): Release {
  const ts = now()
  const version = latestVersion(store, app) + 1
  store.db
    .prepare('INSERT INTO releases (uuid, app, owner, version, summary, failed, exception, config, build, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(randomUUID(), app, r.owner, version, r.summary, r.failed ? 1 : 0, r.exception ?? null, r.config, r.build, ts, ts)
  logEvent(store, app, `${r.summary} (v${version})`) // the controller logs every release summary (controller-api §4.6)
  return release(store, app, version)!
}

/** What app creation adds (controller-api §4.5): an empty config #1 and release v1 without a build. */
export function ensureInitialRelease(store: Store, appId: string): void {
  if (store.db.prepare('SELECT 1 FROM releases WHERE app = ? LIMIT 1').get(appId)) return
  const app = store.app(appId)
  if (!app) return
  store.tx(() => {
    const config = insertConfig(store, app.id, app.owner, emptyMaps())
    insertRelease(store, app.id, {owner: app.owner, summary: `${app.owner} created initial release`, config: config.uuid, build: null})
  })
}

type BuildKind = 'dockerfile' | 'buildpack' | 'image'

function kind(b: Build): BuildKind {
  return b.dockerfile ? 'dockerfile' : b.sha ? 'buildpack' : 'image'
}

/** The structure a first deploy scales to (controller-api §4.9 step 5). */
function defaultStructure(b: Build): Record<string, number> {
  if ('web' in b.procfile) return {web: 1}
  if (kind(b) !== 'buildpack') return {cmd: 1}
  if (Object.keys(b.procfile).length > 0) return {}
  return {web: 1}
}

/**
 * Simulates a deploy of `build` after `previous`: sets the app's structure the way the controller
 * does (defaults on the first deploy, web/cmd reset when the build type changes, process types
 * dropped from the Procfile scaled to 0) and its procfile_structure.
 */
export function deploy(store: Store, app: App, build: Build | undefined, previous: Build | undefined): void {
  if (!build) throw detail(400, 'No build associated with this release')
  let structure = {...app.structure}
  let procfileStructure: Record<string, string | number> = {...(app.procfile_structure ?? {})}
  if (Object.keys(structure).length === 0) {
    structure = defaultStructure(build)
    procfileStructure = defaultStructure(build)
  } else if (previous && kind(previous) !== kind(build)) {
    for (const t of ['cmd', 'web']) if (t in structure) structure[t] = 0
    Object.assign(structure, defaultStructure(build))
  }
  if (previous) for (const t of Object.keys(previous.procfile)) if (!(t in build.procfile) && t in structure) structure[t] = 0
  if (Object.keys(build.procfile).length > 0) procfileStructure = {...build.procfile}
  store.updateApp(app.id, {structure, procfile_structure: procfileStructure})
}

/** Apps that have a build from source (a git push): the ones whose processes a starting runtime brings back. */
export function appsWithSourceBuilds(store: Store): string[] {
  return store.db.prepare("SELECT DISTINCT app FROM builds WHERE sha != ''").pluck().all() as string[]
}

/**
 * Marks release v`version` as failed, as the controller keeps a release whose deploy failed:
 * `failed`, `exception: "error: <reason>"`, and the summary that says so (logged like any summary).
 */
export function failRelease(store: Store, app: string, version: number, summary: string, reason: string): void {
  store.db.prepare('UPDATE releases SET failed = 1, exception = ?, summary = ?, updated = ? WHERE app = ? AND version = ?').run(`error: ${reason}`, summary, now(), app, version)
  logEvent(store, app, `${summary} (v${version})`)
}
