import {randomUUID} from 'node:crypto'
import type {App, Build, Config, Release} from '../../api/types.js'
import {detail} from '../http/reply.js'
import {updateApp} from './apps.js'
import {buildByUuid} from './builds.js'
import {configByUuid} from './config.js'
import {now, type Store} from './db.js'

type ReleaseRow = Omit<Release, 'failed'> & {failed: number}

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

/** Every release of an app (failed ones too), newest first. */
export function listReleases(store: Store, app: string): Release[] {
  return (store.sql('SELECT * FROM releases WHERE app = ? ORDER BY version DESC').all(app) as ReleaseRow[]).map(releaseJson)
}

export function findRelease(store: Store, app: string, version: number): Release | undefined {
  const row = store.sql('SELECT * FROM releases WHERE app = ? AND version = ?').get(app, version) as ReleaseRow | undefined
  return row && releaseJson(row)
}

/** How many releases there are, of one app or of all. */
export function countReleases(store: Store, app?: string): number {
  return (app === undefined ? store.sql('SELECT COUNT(*) FROM releases').pluck().get() : store.sql('SELECT COUNT(*) FROM releases WHERE app = ?').pluck().get(app)) as number
}

/** The app's current release: the latest one that did not fail (every app has v1 from its creation). */
export function currentRelease(store: Store, app: string): Release {
  const row = store.sql('SELECT * FROM releases WHERE app = ? AND failed = 0 ORDER BY version DESC LIMIT 1').get(app) as ReleaseRow | undefined
  if (!row) throw new Error(`app ${app} has no release`)
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
  return (store.sql('SELECT MAX(version) AS v FROM releases WHERE app = ?').get(app) as {v: number | null}).v ?? 0
}

/**
 * Creates release v(n+1) and logs its summary, as the controller does for every release;
 * `failed` records a release whose deploy failed, as the controller keeps those.
 */
export function insertRelease(
  store: Store,
  app: string,
  r: {owner: string; summary: string; config: string; build: string | null; failed?: boolean; exception?: string | null},
): Release {
  const ts = now()
  const version = latestVersion(store, app) + 1
  store
    .sql('INSERT INTO releases (uuid, app, owner, version, summary, failed, exception, config, build, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(randomUUID(), app, r.owner, version, r.summary, r.failed ? 1 : 0, r.exception ?? null, r.config, r.build, ts, ts)
  store.logs.event(app, r.summary)
  return findRelease(store, app, version)!
}

/**
 * Marks release v`version` as failed, as the controller keeps a release whose deploy failed:
 * `failed`, `exception: "error: <reason>"`, and the summary that says so (logged like any summary).
 */
export function failRelease(store: Store, app: string, version: number, summary: string, reason: string): void {
  store.sql('UPDATE releases SET failed = 1, exception = ?, summary = ?, updated = ? WHERE app = ? AND version = ?').run(`error: ${reason}`, summary, now(), app, version)
  store.logs.event(app, summary)
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
  updateApp(store, app.id, {structure, procfile_structure: procfileStructure})
}
