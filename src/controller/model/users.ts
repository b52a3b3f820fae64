import {createRequire} from 'node:module'
import {join} from 'node:path'
import {randomBytes, scrypt, timingSafeEqual} from 'node:crypto'
import type {User} from '../../api/types.js'
import {now, type Store} from './db.js'

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
  seq: number
}

// asynchronous: scrypt takes tens of milliseconds, which the API's event loop must not wait out
function scryptHash(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  return `scrypt$${salt.toString('hex')}$${(await scryptHash(password, salt, 32)).toString('hex')}`
}

// a scrypt hash of a random password nobody knows: checked when the username is unknown, so that answer takes as
// long as a wrong password for a real user and names cannot be told apart by timing
const DUMMY_HASH = 'scrypt$4f0f6b1d3a2c9e8b7d6c5a4b3e2f1d0c$9c1b7e5f3a2d4c6b8e0f1a3c5e7d9b2f4a6c8e0d2b4f6a8c1e3d5f7b9a0c2e4f'

/** Whether `password` is the user's; for an unknown (undefined) or inactive user it spends the same work and says no. */
export async function verifyLogin(user: UserRow | undefined, password: string): Promise<boolean> {
  const matches = await checkPassword(password, user?.password ?? DUMMY_HASH)
  return matches && user !== undefined && Boolean(user.is_active)
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'hex')
  const actual = await scryptHash(password, Buffer.from(salt, 'hex'), expected.length)
  return timingSafeEqual(actual, expected)
}

export function findUser(store: Store, username: string): UserRow | undefined {
  return store.sql('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined
}

/** Every user in registration order. */
export function listUsers(store: Store): UserRow[] {
  return store.sql('SELECT * FROM users ORDER BY seq').all() as UserRow[]
}

/** Active superusers in registration order (`GET /v2/admin/perms/`). */
export function listAdmins(store: Store): UserRow[] {
  return store.sql('SELECT * FROM users WHERE is_superuser = 1 AND is_active = 1 ORDER BY seq').all() as UserRow[]
}

/**
 * Whether the database in `dataDir` holds a user yet, read-only and without migrating (local:start runs
 * it beside a daemon that owns the file, to say log in rather than register); false when there is none.
 */
export function dataDirHasUsers(dataDir: string): boolean {
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3')
    const db = new Database(join(dataDir, 'controller.db'), {readonly: true, fileMustExist: true})
    try {
      return db.prepare('SELECT 1 FROM users LIMIT 1').get() !== undefined
    } finally {
      db.close()
    }
  } catch {
    return false
  }
}

export function hasSuperuser(store: Store): boolean {
  return store.sql('SELECT 1 FROM users WHERE is_superuser = 1 LIMIT 1').get() !== undefined
}

export type NewUser = {username: string; password: string; email: string; first_name?: string; last_name?: string; is_superuser: boolean}

/** Registers a user; the password is hashed before the (synchronous) insert, so a caller may wrap it in tx() afterwards. */
export async function createUser(store: Store, u: NewUser): Promise<UserRow> {
  return insertUser(store, u, await hashPassword(u.password))
}

/** The insert half of createUser, for a password already hashed. */
export function insertUser(store: Store, u: Omit<NewUser, 'password'>, passwordHash: string): UserRow {
  const ts = now()
  return store.tx(() => {
    const seq = ((store.sql('SELECT MAX(seq) AS m FROM users').get() as {m: number | null}).m ?? 0) + 1
    store
      .sql(
        `INSERT INTO users (username, password, email, first_name, last_name, is_superuser, last_login, date_joined, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.username, passwordHash, u.email, u.first_name ?? '', u.last_name ?? '', u.is_superuser ? 1 : 0, ts, ts, seq)
    return findUser(store, u.username)!
  })
}

export async function setPassword(store: Store, username: string, password: string): Promise<void> {
  const hash = await hashPassword(password)
  store.sql('UPDATE users SET password = ? WHERE username = ?').run(hash, username)
}

export function setSuperuser(store: Store, username: string, on: boolean): void {
  store.sql('UPDATE users SET is_superuser = ? WHERE username = ?').run(on ? 1 : 0, username)
}

export function deleteUser(store: Store, username: string): void {
  store.sql('DELETE FROM users WHERE username = ?').run(username)
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
