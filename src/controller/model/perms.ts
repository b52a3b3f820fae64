import type {Store} from './db.js'

/** Usernames holding `use_app` on `app`, in the order they were granted (the owner only if shared). */
export function collaborators(store: Store, app: string): string[] {
  return store.sql('SELECT username FROM perms WHERE app = ? ORDER BY rowid').pluck().all(app) as string[]
}

export function isCollaborator(store: Store, app: string, username: string): boolean {
  return store.sql('SELECT 1 FROM perms WHERE app = ? AND username = ?').get(app, username) !== undefined
}

/** Grants `use_app` and logs it as the controller does; granting twice is harmless, as with django-guardian. */
export function grant(store: Store, app: string, username: string): void {
  store.sql('INSERT OR IGNORE INTO perms (app, username) VALUES (?, ?)').run(app, username)
  store.logs.event(app, `User ${username} was granted access to ${app}`)
}

export function revoke(store: Store, app: string, username: string): void {
  store.sql('DELETE FROM perms WHERE app = ? AND username = ?').run(app, username)
  store.logs.event(app, `User ${username} was revoked access to ${app}`)
}
