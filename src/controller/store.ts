import {randomBytes, randomUUID, scryptSync, timingSafeEqual} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import type {Database as DB} from 'better-sqlite3'
import type {App, User} from '../api/types.js'
import {now} from './http.js'

/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`. Append only: a
 * released database has run every earlier entry.
 */
export const MIGRATIONS: string[] = [
  `CREATE TABLE users (
     username TEXT PRIMARY KEY,
     password TEXT NOT NULL,
     email TEXT NOT NULL DEFAULT '',
     first_name TEXT NOT NULL DEFAULT '',
     last_name TEXT NOT NULL DEFAULT '',
     is_superuser INTEGER NOT NULL DEFAULT 0,
     is_active INTEGER NOT NULL DEFAULT 1,
     last_login TEXT,
     date_joined TEXT NOT NULL,
     token TEXT NOT NULL UNIQUE,
     seq INTEGER NOT NULL
   );
   CREATE TABLE apps (
     id TEXT PRIMARY KEY,
     uuid TEXT NOT NULL,
     owner TEXT NOT NULL REFERENCES users(username) ON UPDATE CASCADE,
     structure TEXT NOT NULL DEFAULT '{}',
     procfile_structure TEXT NOT NULL DEFAULT '{}',
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );
   CREATE TABLE perms (
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
     username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
     PRIMARY KEY (app, username)
   );`,
  `CREATE TABLE keys (
     uuid TEXT PRIMARY KEY,
     owner TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE ON UPDATE CASCADE,
     id TEXT NOT NULL UNIQUE,
     public TEXT NOT NULL UNIQUE,
     fingerprint TEXT NOT NULL UNIQUE,
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );`,
  `CREATE TABLE configs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     uuid TEXT NOT NULL UNIQUE,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     owner TEXT NOT NULL,
     maps TEXT NOT NULL,
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );
   CREATE TABLE builds (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     uuid TEXT NOT NULL UNIQUE,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     owner TEXT NOT NULL,
     image TEXT NOT NULL,
     sha TEXT NOT NULL DEFAULT '',
     procfile TEXT NOT NULL DEFAULT '{}',
     dockerfile TEXT NOT NULL DEFAULT '',
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );
   CREATE TABLE releases (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     uuid TEXT NOT NULL UNIQUE,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     owner TEXT NOT NULL,
     version INTEGER NOT NULL,
     summary TEXT NOT NULL,
     failed INTEGER NOT NULL DEFAULT 0,
     exception TEXT,
     config TEXT NOT NULL,
     build TEXT,
     created TEXT NOT NULL,
     updated TEXT NOT NULL,
     UNIQUE (app, version)
   );`,
  `CREATE TABLE app_settings (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     uuid TEXT NOT NULL UNIQUE,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     owner TEXT NOT NULL,
     maintenance INTEGER NOT NULL DEFAULT 0,
     routable INTEGER NOT NULL DEFAULT 1,
     whitelist TEXT NOT NULL DEFAULT '[]',
     autoscale TEXT NOT NULL DEFAULT '{}',
     label TEXT NOT NULL DEFAULT '{}',
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );
   CREATE TABLE tls (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     uuid TEXT NOT NULL UNIQUE,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     owner TEXT NOT NULL,
     https_enforced INTEGER,
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );
   CREATE TABLE certs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE,
     owner TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE ON UPDATE CASCADE,
     certificate TEXT NOT NULL,
     key TEXT NOT NULL,
     common_name TEXT,
     san TEXT NOT NULL DEFAULT '[]',
     fingerprint TEXT NOT NULL,
     expires TEXT NOT NULL,
     starts TEXT NOT NULL,
     issuer TEXT NOT NULL,
     subject TEXT NOT NULL,
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );
   CREATE TABLE domains (
     domain TEXT PRIMARY KEY,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     owner TEXT NOT NULL,
     certificate INTEGER REFERENCES certs(id) ON DELETE SET NULL,
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );
   CREATE TABLE pods (
     name TEXT PRIMARY KEY,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     type TEXT NOT NULL,
     release TEXT NOT NULL,
     state TEXT NOT NULL,
     started TEXT NOT NULL
   );`,
  `CREATE TABLE logs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     time TEXT NOT NULL,
     source TEXT NOT NULL,
     message TEXT NOT NULL
   );
   CREATE INDEX logs_app_id ON logs (app, id);`,
  `CREATE TABLE services (
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     procfile_type TEXT NOT NULL,
     path_pattern TEXT NOT NULL,
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     UNIQUE (app, procfile_type)
   );`,
  `DROP TABLE logs;
   CREATE TABLE log_chunks (
     seq INTEGER PRIMARY KEY,
     app TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE ON UPDATE CASCADE,
     first INTEGER NOT NULL,
     count INTEGER NOT NULL,
     lines TEXT NOT NULL
   );
   CREATE INDEX log_chunks_app_first ON log_chunks (app, first);`,
]

export type UserRow = {
  username: string
  password: string
  email: string
  first_name: string
  last_name: string
  is_superuser: number
  is_active: number
  last_login: string | null
  date_joined: string
  token: string
  seq: number
}

type AppRow = {id: string; uuid: string; owner: string; structure: string; procfile_structure: string; created: string; updated: string}

/** 40 random lowercase hex characters, the shape of a DRF token. */
export function newToken(): string {
  return randomBytes(20).toString('hex')
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16)
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32).toString('hex')}`
}

export function checkPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'hex')
  const actual = scryptSync(password, Buffer.from(salt, 'hex'), expected.length)
  return timingSafeEqual(actual, expected)
}

/** The controller's state in one SQLite file (WAL), or in memory when no data dir is given. */
export class Store {
  readonly db: DB

  constructor(dataDir?: string) {
    const require = createRequire(import.meta.url)
    const Database = require('better-sqlite3') as typeof import('better-sqlite3')
    if (dataDir) mkdirSync(dataDir, {recursive: true, mode: 0o700})
    this.db = new Database(dataDir ? join(dataDir, 'controller.db') : ':memory:')
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    this.migrate()
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', {simple: true}) as number
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]!)
        this.db.pragma(`user_version = ${i + 1}`)
      })()
    }
  }

  /** Runs `work` in one transaction: a failure leaves nothing half-written. */
  tx<T>(work: () => T): T {
    return this.db.transaction(work)()
  }

  close(): void {
    this.db.close()
  }

  // users

  userByToken(token: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE token = ?').get(token) as UserRow | undefined
  }

  user(username: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined
  }

  users(): UserRow[] {
    return this.db.prepare('SELECT * FROM users ORDER BY seq').all() as UserRow[]
  }

  hasSuperuser(): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE is_superuser = 1 LIMIT 1').get() !== undefined
  }

  createUser(u: {username: string; password: string; email: string; first_name?: string; last_name?: string; is_superuser: boolean}): UserRow {
    const ts = now()
    const seq = ((this.db.prepare('SELECT MAX(seq) AS m FROM users').get() as {m: number | null}).m ?? 0) + 1
    this.db
      .prepare(
        `INSERT INTO users (username, password, email, first_name, last_name, is_superuser, last_login, date_joined, token, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.username, hashPassword(u.password), u.email, u.first_name ?? '', u.last_name ?? '', u.is_superuser ? 1 : 0, ts, ts, newToken(), seq)
    return this.user(u.username)!
  }

  setPassword(username: string, password: string): void {
    this.db.prepare('UPDATE users SET password = ? WHERE username = ?').run(hashPassword(password), username)
  }

  setSuperuser(username: string, on: boolean): void {
    this.db.prepare('UPDATE users SET is_superuser = ? WHERE username = ?').run(on ? 1 : 0, username)
  }

  rotateToken(username: string): string {
    const token = newToken()
    this.db.prepare('UPDATE users SET token = ? WHERE username = ?').run(token, username)
    return token
  }

  deleteUser(username: string): void {
    this.db.prepare('DELETE FROM users WHERE username = ?').run(username)
  }

  // apps

  app(id: string): App | undefined {
    const row = this.db.prepare('SELECT * FROM apps WHERE id = ?').get(id) as AppRow | undefined
    return row && appFromRow(row)
  }

  /** Apps the user may see, ordered by id: all for admins, else owned plus shared. */
  appsVisibleTo(user: UserRow): App[] {
    const rows = user.is_superuser
      ? this.db.prepare('SELECT * FROM apps ORDER BY id').all()
      : this.db
          .prepare('SELECT * FROM apps WHERE owner = ? OR id IN (SELECT app FROM perms WHERE username = ?) ORDER BY id')
          .all(user.username, user.username)
    return (rows as AppRow[]).map(appFromRow)
  }

  appsOwnedBy(username: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM apps WHERE owner = ?').get(username) as {n: number}).n
  }

  insertApp(id: string, owner: string): App {
    const ts = now()
    this.db.prepare('INSERT INTO apps (id, uuid, owner, created, updated) VALUES (?, ?, ?, ?, ?)').run(id, randomUUID(), owner, ts, ts)
    return this.app(id)!
  }

  updateApp(id: string, fields: Partial<Pick<App, 'owner' | 'structure' | 'procfile_structure'>>): void {
    const app = this.app(id)
    if (!app) return
    const next = {...app, ...fields}
    this.db
      .prepare('UPDATE apps SET owner = ?, structure = ?, procfile_structure = ?, updated = ? WHERE id = ?')
      .run(next.owner, JSON.stringify(next.structure), JSON.stringify(next.procfile_structure ?? {}), now(), id)
  }

  deleteApp(id: string): void {
    this.db.prepare('DELETE FROM apps WHERE id = ?').run(id)
  }

  isCollaborator(app: string, username: string): boolean {
    return this.db.prepare('SELECT 1 FROM perms WHERE app = ? AND username = ?').get(app, username) !== undefined
  }
}

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

/** A user as the API shows it (no password, no token). */
export function userJson(u: UserRow): User {
  return {
    email: u.email,
    username: u.username,
    first_name: u.first_name,
    last_name: u.last_name,
    is_superuser: Boolean(u.is_superuser),
    is_staff: Boolean(u.is_superuser),
    groups: [],
    user_permissions: [],
    last_login: u.last_login,
    date_joined: u.date_joined,
    is_active: Boolean(u.is_active),
  } as User
}
