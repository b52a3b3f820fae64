import {randomUUID} from 'node:crypto'
import type {TLS} from '../../api/types.js'
import {objectBody} from '../http/body.js'
import {detail, fieldError} from '../http/reply.js'
import {now, type Store} from './db.js'
import {parseBool} from './settings.js'

type TlsRow = {uuid: string; app: string; owner: string; https_enforced: number | null; created: string; updated: string}

function tlsJson(r: TlsRow): TLS {
  return {
    uuid: r.uuid,
    app: r.app,
    owner: r.owner,
    created: r.created,
    updated: r.updated,
    https_enforced: r.https_enforced === null ? null : Boolean(r.https_enforced),
  }
}

/** The app's newest TLS object (every app has one from its creation, `null` until set). */
export function latestTls(store: Store, app: string): TLS {
  const row = store.sql('SELECT * FROM tls WHERE app = ? ORDER BY seq DESC LIMIT 1').get(app) as TlsRow | undefined
  if (!row) throw new Error(`app ${app} has no TLS object`)
  return tlsJson(row)
}

export function insertTls(store: Store, app: string, owner: string, enforced: boolean | null): TLS {
  const ts = now()
  store
    .sql('INSERT INTO tls (uuid, app, owner, https_enforced, created, updated) VALUES (?, ?, ?, ?, ?, ?)')
    .run(randomUUID(), app, owner, enforced === null ? null : enforced ? 1 : 0, ts, ts)
  return latestTls(store, app)
}

/** A TLS POST: 409 only when the same non-null value is already in force; `null` is always accepted. */
export function changeTls(store: Store, app: string, user: string, body: unknown): TLS {
  const enforced = parseBool(objectBody(body).https_enforced)
  if (typeof enforced === 'string') throw fieldError({https_enforced: [enforced]})
  const old = latestTls(store, app)
  if (enforced !== null && old.https_enforced === enforced) throw detail(409, `${user} changed nothing`)
  return insertTls(store, app, user, enforced)
}
