import {createHash} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import type {Database as DB, Statement} from 'better-sqlite3'
import {LogStore} from './logs.js'

// a random version-4 UUID computed by SQLite, for rows a migration creates
const UUID = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
  substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`

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
  // apps that predate the release, settings and TLS objects get them here, once, instead of on first read
  `INSERT INTO configs (uuid, app, owner, maps, created, updated)
     SELECT ${UUID}, id, owner, '{}', created, created FROM apps WHERE id NOT IN (SELECT app FROM releases);
   INSERT INTO releases (uuid, app, owner, version, summary, config, build, created, updated)
     SELECT ${UUID}, a.id, a.owner, 1, a.owner || ' created initial release',
       (SELECT c.uuid FROM configs c WHERE c.app = a.id ORDER BY c.seq LIMIT 1), NULL, a.created, a.created
     FROM apps a WHERE a.id NOT IN (SELECT app FROM releases);
   INSERT INTO app_settings (uuid, app, owner, created, updated)
     SELECT ${UUID}, id, owner, created, created FROM apps WHERE id NOT IN (SELECT app FROM app_settings);
   INSERT INTO tls (uuid, app, owner, https_enforced, created, updated)
     SELECT ${UUID}, id, owner, NULL, created, created FROM apps WHERE id NOT IN (SELECT app FROM tls);`,
  // every per-app lookup by index, so that its cost does not grow with the number of apps
  `CREATE INDEX apps_owner ON apps (owner);
   CREATE INDEX perms_username ON perms (username);
   CREATE INDEX configs_app ON configs (app, seq);
   CREATE INDEX builds_app ON builds (app, seq);
   CREATE INDEX app_settings_app ON app_settings (app, seq);
   CREATE INDEX tls_app ON tls (app, seq);
   CREATE INDEX domains_app ON domains (app, domain);
   CREATE INDEX domains_certificate ON domains (certificate);
   CREATE INDEX pods_app ON pods (app);`,
  // tokens are kept only as SHA-256 hashes, several per user (each login mints one); the plaintext column goes
  // with a rebuild of users, since SQLite cannot drop a UNIQUE column (foreign keys are off while migrating,
  // so dropping the old table cascades nothing)
  `CREATE TABLE tokens (
     hash TEXT PRIMARY KEY,
     username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE ON UPDATE CASCADE,
     created TEXT NOT NULL
   );
   CREATE INDEX tokens_username ON tokens (username, created);
   INSERT INTO tokens (hash, username, created) SELECT sha256(token), username, date_joined FROM users;
   CREATE TABLE users_new (
     username TEXT PRIMARY KEY,
     password TEXT NOT NULL,
     email TEXT NOT NULL DEFAULT '',
     first_name TEXT NOT NULL DEFAULT '',
     last_name TEXT NOT NULL DEFAULT '',
     is_superuser INTEGER NOT NULL DEFAULT 0,
     is_active INTEGER NOT NULL DEFAULT 1,
     last_login TEXT,
     date_joined TEXT NOT NULL,
     seq INTEGER NOT NULL
   );
   INSERT INTO users_new SELECT username, password, email, first_name, last_name, is_superuser, is_active, last_login, date_joined, seq FROM users;
   DROP TABLE users;
   ALTER TABLE users_new RENAME TO users;`,
]

export type StoreOptions = {
  /** Where SQLite lives; in memory when absent (tests). */
  dataDir?: string | undefined
  /** Log lines kept per app. */
  logLines?: number | undefined
}

/**
 * The controller's state in one SQLite file (WAL), or in memory when no data dir is given. Only the
 * modules of model/ prepare SQL, through `sql()`, which keeps each statement prepared once.
 */
export class Store {
  private readonly db: DB
  private readonly statements = new Map<string, Statement>()
  private readonly transaction: (work: () => unknown) => unknown
  /** The apps' logs, kept in the same database. */
  readonly logs: LogStore

  constructor(opts: StoreOptions = {}) {
    const require = createRequire(import.meta.url)
    const Database = require('better-sqlite3') as typeof import('better-sqlite3')
    if (opts.dataDir) mkdirSync(opts.dataDir, {recursive: true, mode: 0o700})
    this.db = new Database(opts.dataDir ? join(opts.dataDir, 'controller.db') : ':memory:')
    // every statement, pragmas too, goes through sql(), which keeps it for the life of the database: on Node 24 a
    // better-sqlite3 Statement (a node::ObjectWrap) that the garbage collector finalizes can abort the process
    // (RemoveEnvironmentCleanupHook: "Assertion failed: (env) != nullptr"), so none is ever left for it to collect
    this.pragma('journal_mode = WAL')
    // WAL with NORMAL syncs at checkpoints, not at every commit: a crash of the machine may lose the last
    // writes but never corrupts the file, and writes stop waiting on the disk
    this.pragma('synchronous = NORMAL')
    this.pragma('busy_timeout = 5000')
    this.db.function('sha256', {deterministic: true}, (text: unknown) => sha256(String(text)))
    // better-sqlite3 turns foreign keys on by default; a table rebuild must not cascade (nor fail on) the rows referring to it
    this.pragma('foreign_keys = OFF')
    this.migrate()
    // only after migrating: the pragma cannot change inside the migrations' transactions
    this.pragma('foreign_keys = ON')
    // one wrapper, made once: better-sqlite3 nests calls of it as savepoints
    this.transaction = this.db.transaction((work: () => unknown) => work())
    this.logs = new LogStore(this, opts.logLines)
  }

  private migrate(): void {
    const version = this.sql('PRAGMA user_version').pluck().get() as number
    if (version === MIGRATIONS.length) return
    // what a migration replaces (plaintext tokens) is zeroed in the file, not left in free pages
    this.pragma('secure_delete = ON')
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]!)
        this.pragma(`user_version = ${i + 1}`)
      })()
    }
    if (this.sql('PRAGMA foreign_key_check').all().length > 0) throw new Error('controller.db: a migration left rows whose references are gone')
    // the WAL may still hold the pages written before: copy them back into the database and empty it
    this.pragma('wal_checkpoint(TRUNCATE)')
    this.pragma('secure_delete = OFF')
  }

  /** Sets a pragma through a kept statement (see the constructor for why not `db.pragma`). */
  private pragma(setting: string): void {
    const statement = this.sql(`PRAGMA ${setting}`)
    if (statement.reader) statement.get()
    else statement.run()
  }

  /** The statement for `text`, prepared on first use. */
  sql(text: string): Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.db.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }

  /** Runs `work` in one transaction: a failure leaves nothing half-written. */
  tx<T>(work: () => T): T {
    return this.transaction(work) as T
  }

  /** Rows changed through this connection so far: a cheap way to tell that something was written. */
  totalChanges(): number {
    return this.sql('SELECT total_changes()').pluck().get() as number
  }

  get inTransaction(): boolean {
    return this.db.inTransaction
  }

  get open(): boolean {
    return this.db.open
  }

  close(): void {
    this.statements.clear()
    this.db.close()
  }
}

/** Lowercase hex SHA-256 of `text`: how tokens are kept (they are random, so no salt or stretching is needed). */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** UTC timestamp in the controller's format: `YYYY-MM-DDTHH:MM:SSZ`. */
export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Throws unless the database answers a query (`/readiness`). */
export function checkDatabase(store: Store): void {
  store.sql('SELECT 0').get()
}
