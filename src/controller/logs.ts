import {EventEmitter} from 'node:events'
import type {Statement} from 'better-sqlite3'
import type {Store} from './store.js'

/**
 * The local controller's logger: per app, an append-only table of lines (`id` increasing, kept to
 * the newest `retain` lines like deis-logger's ring of 1000), plus an in-process event per append so
 * streaming followers get new lines without polling SQLite.
 *
 * How to append (runtime, route modules, tests):
 *   appendLog(store, app, processSource(app, 'web.1'), 'listening on :5000')  // `<app>[web.1]: ...`
 *   logEvent(store, app, 'alice scaled web=4')                                 // `deis[api]: ...`
 *   appendLogs(store, app, [{source, message}, ...])                           // one transaction
 * A line reads `<time> <source>: <message>`, time as `YYYY-MM-DDTHH:MM:SS+00:00` (deis-logger's layout).
 */

/** Lines kept per app when neither the controller options nor `DEIS_LOG_LINES` say otherwise. */
export const DEFAULT_RETAIN = 1000

/** The source tag of controller events. */
export const API_SOURCE = 'deis[api]'

export type LogEntry = {source: string; message: string; time?: string}
export type LogRow = {id: number; line: string}

type State = {
  retain: number
  events: EventEmitter
  insert: Statement
  trimAt: Statement
  trim: Statement
  /** Appends made inside someone else's transaction, announced once it has committed. */
  deferred: Array<{app: string; rows: LogRow[]}>
}

const states = new WeakMap<Store, State>()

const LINE_SQL = "SELECT id, time || ' ' || source || ': ' || message AS line FROM logs"

function retainFromEnv(): number {
  const n = Number(process.env.DEIS_LOG_LINES)
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_RETAIN
}

function state(store: Store): State {
  let s = states.get(store)
  if (!s) {
    const events = new EventEmitter()
    events.setMaxListeners(0)
    s = {
      retain: retainFromEnv(),
      events,
      insert: store.db.prepare('INSERT INTO logs (app, time, source, message) VALUES (?, ?, ?, ?)'),
      trimAt: store.db.prepare('SELECT id FROM logs WHERE app = ? ORDER BY id DESC LIMIT 1 OFFSET ?').pluck(),
      trim: store.db.prepare('DELETE FROM logs WHERE app = ? AND id <= ?'),
      deferred: [],
    }
    states.set(store, s)
  }
  return s
}

/** Sets how many lines each app keeps (createController's `logLines`); undefined keeps the default. */
export function configureLogs(store: Store, opts: {retain?: number | undefined}): void {
  if (opts.retain !== undefined && Number.isInteger(opts.retain) && opts.retain > 0) state(store).retain = opts.retain
}

/** `2026-11-25T03:18:28+00:00`, the timestamp deis-logger writes. */
export function logTime(d: Date = new Date()): string {
  return `${d.toISOString().slice(0, 19)}+00:00`
}

/** The source tag of an app's process, e.g. `example-app[web.1]`. */
export function processSource(app: string, proc: string): string {
  return `${app}[${proc}]`
}

/**
 * Appends lines to an app's log in one transaction (a message with newlines becomes several lines),
 * trims the app to the newest `retain` lines and announces the new rows to followers, after the
 * caller's transaction commits when called inside one. Returns the stored rows.
 */
export function appendLogs(store: Store, app: string, entries: LogEntry[]): LogRow[] {
  const s = state(store)
  const inOuterTx = store.db.inTransaction
  const rows: LogRow[] = []
  store.tx(() => {
    const fallback = logTime()
    for (const e of entries) {
      const time = e.time ?? fallback
      for (const message of e.message.split(/\r?\n/)) {
        const id = Number(s.insert.run(app, time, e.source, message).lastInsertRowid)
        rows.push({id, line: `${time} ${e.source}: ${message}`})
      }
    }
    const cut = s.trimAt.get(app, s.retain) as number | undefined
    if (cut !== undefined) s.trim.run(app, cut)
  })
  if (rows.length === 0) return rows
  // while an announcement waits for a commit, later appends wait behind it so followers see id order
  if (!inOuterTx && s.deferred.length === 0) {
    s.events.emit(app, rows)
  } else {
    if (s.deferred.length === 0) queueMicrotask(() => announceDeferred(store, s))
    s.deferred.push({app, rows})
  }
  return rows
}

/**
 * better-sqlite3 transactions are synchronous, so by the next microtask they have committed or rolled
 * back. The rows are read again, once per app over the waiting ids: a rolled-back id can be reused by
 * a later commit, and only what committed may reach followers.
 */
function announceDeferred(store: Store, s: State): void {
  const ranges = new Map<string, {from: number; to: number}>()
  for (const {app, rows} of s.deferred.splice(0)) {
    const r = ranges.get(app)
    const from = rows[0]!.id
    const to = rows[rows.length - 1]!.id
    ranges.set(app, r ? {from: Math.min(r.from, from), to: Math.max(r.to, to)} : {from, to})
  }
  if (!store.db.open) return
  for (const [app, {from, to}] of ranges) {
    const rows = store.db.prepare(`${LINE_SQL} WHERE app = ? AND id BETWEEN ? AND ? ORDER BY id`).all(app, from, to) as LogRow[]
    if (rows.length > 0) s.events.emit(app, rows)
  }
}

/** Appends one line; see appendLogs. */
export function appendLog(store: Store, app: string, source: string, message: string): LogRow[] {
  return appendLogs(store, app, [{source, message}])
}

/** Appends a controller event such as `alice created v3` as `deis[api]: alice created v3`. */
export function logEvent(store: Store, app: string, message: string): LogRow[] {
  return appendLogs(store, app, [{source: API_SOURCE, message}])
}

/** The newest `n` lines of an app, oldest first (all of them when `n` is negative). */
export function tailLogs(store: Store, app: string, n: number): LogRow[] {
  const rows = store.db.prepare(`${LINE_SQL} WHERE app = ? ORDER BY id DESC LIMIT ?`).all(app, n) as LogRow[]
  return rows.reverse()
}

/** Lines with an id above `after`, oldest first, at most `limit`. */
export function logsAfter(store: Store, app: string, after: number, limit: number): LogRow[] {
  return store.db.prepare(`${LINE_SQL} WHERE app = ? AND id > ? ORDER BY id LIMIT ?`).all(app, after, limit) as LogRow[]
}

/** The id of an app's newest line, 0 when it has none. */
export function lastLogId(store: Store, app: string): number {
  return (store.db.prepare('SELECT MAX(id) FROM logs WHERE app = ?').pluck().get(app) as number | null) ?? 0
}

/** Calls `listener` with every batch of rows appended to `app` from now on; returns the unsubscribe function. */
export function onLogs(store: Store, app: string, listener: (rows: LogRow[]) => void): () => void {
  const {events} = state(store)
  events.on(app, listener)
  return () => events.off(app, listener)
}
