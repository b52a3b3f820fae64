import {randomUUID} from 'node:crypto'
import type {Build} from '../../api/types.js'
import {now, type Store} from './db.js'

type BuildRow = Omit<Build, 'procfile'> & {procfile: string}

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

/** Stores a build and logs `build <app>-<uuid7> created`, as the controller's post_save signal does. */
export function insertBuild(store: Store, app: string, owner: string, b: Pick<Build, 'image' | 'sha' | 'procfile' | 'dockerfile'>): Build {
  const ts = now()
  const uuid = randomUUID()
  store
    .sql('INSERT INTO builds (uuid, app, owner, image, sha, procfile, dockerfile, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(uuid, app, owner, b.image, b.sha, JSON.stringify(b.procfile), b.dockerfile, ts, ts)
  store.logs.event(app, `build ${app}-${uuid.slice(0, 7)} created`)
  return buildByUuid(store, uuid)!
}

export function buildByUuid(store: Store, uuid: string): Build | undefined {
  const row = store.sql('SELECT * FROM builds WHERE uuid = ?').get(uuid) as BuildRow | undefined
  return row && buildJson(row)
}

/** Every build of an app, newest first. */
export function listBuilds(store: Store, app: string): Build[] {
  return (store.sql('SELECT * FROM builds WHERE app = ? ORDER BY seq DESC').all(app) as BuildRow[]).map(buildJson)
}

/** How many builds there are, of one app or of all. */
export function countBuilds(store: Store, app?: string): number {
  return (app === undefined ? store.sql('SELECT COUNT(*) FROM builds').pluck().get() : store.sql('SELECT COUNT(*) FROM builds WHERE app = ?').pluck().get(app)) as number
}

/** Apps that have a build from source (a git push): the ones whose processes a starting runtime brings back. */
export function appsWithSourceBuilds(store: Store): string[] {
  return store.sql("SELECT DISTINCT app FROM builds WHERE sha != ''").pluck().all() as string[]
}
