import type {Store, UserRow} from './store.js'

/** Usernames holding `use_app` on `app`, in the order they were granted (the owner only if shared). */
export function collaborators(store: Store, app: string): string[] {
  const rows = store.db.prepare('SELECT username FROM perms WHERE app = ? ORDER BY rowid').all(app) as Array<{username: string}>
  return rows.map(r => r.username)
}

/** Grants `use_app`; granting twice is harmless, as with django-guardian. */
export function grant(store: Store, app: string, username: string): void {
  store.db.prepare('INSERT OR IGNORE INTO perms (app, username) VALUES (?, ?)').run(app, username)
}

export function revoke(store: Store, app: string, username: string): void {
  store.db.prepare('DELETE FROM perms WHERE app = ? AND username = ?').run(app, username)
}

/** Active superusers in registration order (`GET /v2/admin/perms/`). */
export function admins(store: Store): UserRow[] {
  return store.db.prepare('SELECT * FROM users WHERE is_superuser = 1 AND is_active = 1 ORDER BY seq').all() as UserRow[]
}
