import {randomBytes} from 'node:crypto'
import {now, sha256, type Store} from './db.js'
import type {UserRow} from './users.js'

/** Sessions a user keeps at most; minting one more revokes the oldest, so repeated logins cannot grow the table. */
export const TOKENS_PER_USER = 100

/**
 * Mints a token for `username` and keeps only its hash: the 40 random lowercase hex characters of a DRF
 * token are returned once and cannot be read back.
 */
export function mintToken(store: Store, username: string): string {
  const token = randomBytes(20).toString('hex')
  store.tx(() => {
    store.sql('INSERT INTO tokens (hash, username, created) VALUES (?, ?, ?)').run(sha256(token), username, now())
    store
      .sql('DELETE FROM tokens WHERE username = ? AND hash NOT IN (SELECT hash FROM tokens WHERE username = ? ORDER BY created DESC, rowid DESC LIMIT ?)')
      .run(username, username, TOKENS_PER_USER)
  })
  return token
}

/** The user a token belongs to, found by the token's hash. */
export function userByToken(store: Store, token: string): UserRow | undefined {
  return store.sql('SELECT u.* FROM tokens t JOIN users u ON u.username = t.username WHERE t.hash = ?').get(sha256(token)) as UserRow | undefined
}

/** Revokes every token of `username` (`auth:regenerate`); other users' sessions stay. */
export function revokeTokens(store: Store, username: string): void {
  store.sql('DELETE FROM tokens WHERE username = ?').run(username)
}

/** Revokes every token of every user (`auth:regenerate --all`). */
export function revokeAllTokens(store: Store): void {
  store.sql('DELETE FROM tokens').run()
}

/** The hashes kept for `username`, newest first: what is at rest instead of the tokens. */
export function tokenHashes(store: Store, username: string): string[] {
  return store.sql('SELECT hash FROM tokens WHERE username = ? ORDER BY created DESC, rowid DESC').pluck().all(username) as string[]
}
