import {randomUUID} from 'node:crypto'
import type {App} from '../../api/types.js'
import {now, type Store} from './db.js'
import type {UserRow} from './users.js'

type AppRow = {id: string; uuid: string; owner: string; structure: string; procfile_structure: string; created: string; updated: string}

function appFromRow(row: AppRow): App {
  return {
    uuid: row.uuid,
    id: row.id,
    owner: row.owner,
    structure: JSON.parse(row.structure) as Record<string, number>,
    procfile_structure: JSON.parse(row.procfile_structure) as Record<string, string>,
    created: row.created,
    updated: row.updated,
  }
}

export function findApp(store: Store, id: string): App | undefined {
  const row = store.sql('SELECT * FROM apps WHERE id = ?').get(id) as AppRow | undefined
  return row && appFromRow(row)
}

/** Every app id, in order. */
export function appIds(store: Store): string[] {
  return store.sql('SELECT id FROM apps ORDER BY id').pluck().all() as string[]
}

const VISIBLE = 'owner = ? OR id IN (SELECT app FROM perms WHERE username = ?)'

/** Apps the user may see, ordered by id: all for admins, else owned plus shared; `slice` reads only part of them. */
export function appsVisibleTo(store: Store, user: UserRow, slice: {limit: number; offset: number} = {limit: -1, offset: 0}): App[] {
  const rows = user.is_superuser
    ? store.sql('SELECT * FROM apps ORDER BY id LIMIT ? OFFSET ?').all(slice.limit, slice.offset)
    : store.sql(`SELECT * FROM apps WHERE ${VISIBLE} ORDER BY id LIMIT ? OFFSET ?`).all(user.username, user.username, slice.limit, slice.offset)
  return (rows as AppRow[]).map(appFromRow)
}

/** How many apps the user may see. */
export function countAppsVisibleTo(store: Store, user: UserRow): number {
  return (
    user.is_superuser
      ? store.sql('SELECT COUNT(*) FROM apps').pluck().get()
      : store.sql(`SELECT COUNT(*) FROM apps WHERE ${VISIBLE}`).pluck().get(user.username, user.username)
  ) as number
}

export function appsOwnedBy(store: Store, username: string): number {
  return (store.sql('SELECT COUNT(*) AS n FROM apps WHERE owner = ?').get(username) as {n: number}).n
}

/** The app row alone; createApp (app-lifecycle.ts) adds what the controller creates with it. */
export function insertApp(store: Store, id: string, owner: string): App {
  const ts = now()
  store.sql('INSERT INTO apps (id, uuid, owner, created, updated) VALUES (?, ?, ?, ?, ?)').run(id, randomUUID(), owner, ts, ts)
  return findApp(store, id)!
}

export function updateApp(store: Store, id: string, fields: Partial<Pick<App, 'owner' | 'structure' | 'procfile_structure'>>): void {
  const app = findApp(store, id)
  if (!app) return
  const next = {...app, ...fields}
  store
    .sql('UPDATE apps SET owner = ?, structure = ?, procfile_structure = ?, updated = ? WHERE id = ?')
    .run(next.owner, JSON.stringify(next.structure), JSON.stringify(next.procfile_structure ?? {}), now(), id)
}

export function deleteApp(store: Store, id: string): void {
  store.sql('DELETE FROM apps WHERE id = ?').run(id)
}

/** Sets the desired process counts (and the Procfile's types they come from). */
export function setStructure(store: Store, id: string, structure: Record<string, number>, procfileStructure: Record<string, string>): void {
  updateApp(store, id, {structure, procfile_structure: procfileStructure})
}
