import {createHash, randomUUID} from 'node:crypto'
import type {Key} from '../../api/types.js'
import {now, type Store} from './db.js'

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** The base64 blob of an OpenSSH public key line (`<type> <blob> [comment]`), or undefined when it is not one. */
export function keyBlob(publicKey: string): Buffer | undefined {
  const blob = publicKey.trim().split(/\s+/)[1]
  if (!blob || !BASE64.test(blob) || blob.length % 4 !== 0) return undefined
  return Buffer.from(blob, 'base64')
}

/** The controller's fingerprint: MD5 of the decoded blob as 16 lowercase hex pairs joined by `:`. */
export function fingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':')
}

const COLUMNS = 'uuid, owner, created, updated, id, public, fingerprint'

/** The caller's keys ordered by public-key text, as `GET /v2/keys/` lists them. */
export function keysForUser(store: Store, username: string): Key[] {
  return store.sql(`SELECT ${COLUMNS} FROM keys WHERE owner = ? ORDER BY public`).all(username) as Key[]
}

export function keyOf(store: Store, username: string, id: string): Key | undefined {
  return store.sql(`SELECT ${COLUMNS} FROM keys WHERE owner = ? AND id = ?`).get(username, id) as Key | undefined
}

/** Who owns the key with this fingerprint (the SSH builder authenticates pushes with it); undefined if nobody. */
export function keyOwnerByFingerprint(store: Store, fp: string): string | undefined {
  const row = store.sql('SELECT owner FROM keys WHERE fingerprint = ?').get(fp) as {owner: string} | undefined
  return row?.owner
}

/** Which of a new key's unique columns are already taken, by anyone. */
export function keyClashes(store: Store, k: {id: string; public: string; fingerprint: string}): {id: boolean; public: boolean} {
  const taken = (sql: string, v: string) => store.sql(sql).get(v) !== undefined
  return {
    id: taken('SELECT 1 FROM keys WHERE id = ?', k.id),
    public: taken('SELECT 1 FROM keys WHERE public = ?', k.public) || taken('SELECT 1 FROM keys WHERE fingerprint = ?', k.fingerprint),
  }
}

export function insertKey(store: Store, owner: string, k: {id: string; public: string; fingerprint: string}): Key {
  const ts = now()
  store
    .sql('INSERT INTO keys (uuid, owner, created, updated, id, public, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(randomUUID(), owner, ts, ts, k.id, k.public, k.fingerprint)
  return keyOf(store, owner, k.id)!
}

export function deleteKey(store: Store, owner: string, id: string): void {
  store.sql('DELETE FROM keys WHERE owner = ? AND id = ?').run(owner, id)
}

/** Hands every key of `from` to `to` (an admin's repair; tests use it to push as someone else). */
export function transferKeys(store: Store, from: string, to: string): void {
  store.sql('UPDATE keys SET owner = ? WHERE owner = ?').run(to, from)
}
