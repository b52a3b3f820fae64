import {EventEmitter} from 'node:events'
import type {Statement} from 'better-sqlite3'
import type {Store} from './store.js'

/**
 * The local controller's logger. Per app, ordered lines `<time> <source>: <message>` (time as
 * `YYYY-MM-DDTHH:MM:SS+00:00`, deis-logger's layout), numbered 1, 2, 3... and kept to the newest
 * `retain` (deis-logger's ring holds 1000). One append is stored as one chunk row holding all its
 * lines, so a batch costs one insert; an event per append lets streaming followers receive the new
 * lines without polling SQLite.
 *
 * How to append (runtime, route modules, tests):
 *   appendLog(store, app, processSource(app, 'web.1'), 'listening on :5000')  // `<app>[web.1]: ...`
 *   logEvent(store, app, 'alice scaled web=4')                                 // `deis[api]: ...`
 *   appendLogs(store, app, [{source, message}, ...])                           // one chunk
 */

/** Lines kept per app when neither the controller options nor `DEIS_LOG_LINES` say otherwise. */
export const DEFAULT_RETAIN = 1000

/** The source tag of controller events. */
export const API_SOURCE = 'deis[api]'

export type LogEntry = {source: string; message: string; time?: string}

/** Lines `first`..`last` of an app's log, each ending in `\n`. */
export type LogChunk = {first: number; last: number; text: string}

type State = {
  retain: number
  events: EventEmitter
  insert: Statement
  next: Statement
  drop: Statement
  boundary: Statement
  cut: Statement
  /** Appends made inside someone else's transaction (and any after them), announced once committed. */
  deferred: Array<{app: string; chunk: LogChunk}>
}

const states = new WeakMap<Store, State>()

function retainFromEnv(): number {
  const n = Number(process.env.DEIS_LOG_LINES)
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_RETAIN
}

function state(store: Store): State {
  let s = states.get(store)
  if (!s) {
    const db = store.db
    const events = new EventEmitter()
    events.setMaxListeners(0)
    s = {
      retain: retainFromEnv(),
      events,
      insert: db.prepare('INSERT INTO log_chunks (app, first, count, lines) VALUES (?, ?, ?, ?)'),
      next: db.prepare('SELECT first + count FROM log_chunks WHERE app = ? ORDER BY first DESC LIMIT 1').pluck(),
      drop: db.prepare('DELETE FROM log_chunks WHERE app = ? AND first <= ? AND first + count - 1 <= ?'),
      boundary: db.prepare('SELECT seq, first, count, lines FROM log_chunks WHERE app = ? AND first <= ?'),
      cut: db.prepare('UPDATE log_chunks SET first = ?, count = ?, lines = ? WHERE seq = ?'),
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

/** The index in `text` just past its `n`-th newline (0 for n = 0). */
function afterLines(text: string, n: number): number {
  let at = 0
  for (let i = 0; i < n; i++) at = text.indexOf('\n', at) + 1
  return at
}

/** `chunk` without the lines numbered `after` or below; undefined when nothing is left. */
export function chunkAfter(chunk: LogChunk, after: number): LogChunk | undefined {
  if (chunk.last <= after) return undefined
  if (chunk.first > after) return chunk
  return {first: after + 1, last: chunk.last, text: chunk.text.slice(afterLines(chunk.text, after + 1 - chunk.first))}
}

/**
 * Appends lines to an app's log as one chunk (a message with newlines becomes several lines), trims
 * the app to its newest `retain` lines, and announces the chunk to followers; inside the caller's
 * transaction, once that has committed. Returns the stored lines, or undefined for no entries.
 */
export function appendLogs(store: Store, app: string, entries: LogEntry[]): LogChunk | undefined {
  const s = state(store)
  const inOuterTx = store.db.inTransaction
  const fallback = logTime()
  let text = ''
  let count = 0
  for (const e of entries) {
    const prefix = `${e.time ?? fallback} ${e.source}: `
    for (const message of e.message.split(/\r?\n/)) {
      text += `${prefix}${message}\n`
      count++
    }
  }
  if (count === 0) return undefined
  const chunk = store.tx(() => {
    const first = (s.next.get(app) as number | undefined) ?? 1
    s.insert.run(app, first, count, text)
    const last = first + count - 1
    trim(s, app, last - s.retain)
    return {first, last, text}
  })
  // while an announcement waits for a commit, later appends wait behind it so followers get them in order
  if (!inOuterTx && s.deferred.length === 0) {
    s.events.emit(app, chunk)
  } else {
    if (s.deferred.length === 0) queueMicrotask(() => announceDeferred(store, s))
    s.deferred.push({app, chunk})
  }
  return chunk
}

/** Drops the lines numbered `cutoff` and below: whole chunks, then the front of the one it falls in. */
function trim(s: State, app: string, cutoff: number): void {
  if (cutoff < 1) return
  s.drop.run(app, cutoff, cutoff)
  for (const row of s.boundary.all(app, cutoff) as Array<{seq: number; first: number; count: number; lines: string}>) {
    const kept = chunkAfter({first: row.first, last: row.first + row.count - 1, text: row.lines}, cutoff)
    if (kept) s.cut.run(kept.first, kept.last - kept.first + 1, kept.text, row.seq)
  }
}

/**
 * better-sqlite3 transactions are synchronous, so by the next microtask they have committed or rolled
 * back. The lines are read again, once per app over the waiting range: a rolled-back number is given
 * again to the next append, and only what committed may reach followers.
 */
function announceDeferred(store: Store, s: State): void {
  const ranges = new Map<string, {from: number; to: number}>()
  for (const {app, chunk} of s.deferred.splice(0)) {
    const r = ranges.get(app)
    ranges.set(app, r ? {from: Math.min(r.from, chunk.first), to: Math.max(r.to, chunk.last)} : {from: chunk.first, to: chunk.last})
  }
  if (!store.db.open) return
  for (const [app, {from, to}] of ranges) {
    for (const chunk of logsAfter(store, app, from - 1)) {
      if (chunk.first > to) break
      s.events.emit(app, chunk)
    }
  }
}

/** Appends one line; see appendLogs. */
export function appendLog(store: Store, app: string, source: string, message: string): LogChunk | undefined {
  return appendLogs(store, app, [{source, message}])
}

/** Appends a controller event such as `alice created v3` as `deis[api]: alice created v3`. */
export function logEvent(store: Store, app: string, message: string): LogChunk | undefined {
  return appendLogs(store, app, [{source: API_SOURCE, message}])
}

type ChunkRow = {first: number; count: number; lines: string}
const toChunk = (r: ChunkRow): LogChunk => ({first: r.first, last: r.first + r.count - 1, text: r.lines})

/** The newest `n` lines of an app as one chunk, undefined when it has none. */
export function tailLogs(store: Store, app: string, n: number): LogChunk | undefined {
  if (n <= 0) return undefined
  const parts: ChunkRow[] = []
  let lines = 0
  for (const row of store.db.prepare('SELECT first, count, lines FROM log_chunks WHERE app = ? ORDER BY first DESC').iterate(app) as Iterable<ChunkRow>) {
    parts.push(row)
    lines += row.count
    if (lines >= n) break
  }
  if (parts.length === 0) return undefined
  const last = parts[0]!.first + parts[0]!.count - 1
  const all: LogChunk = {first: parts.at(-1)!.first, last, text: parts.reverse().map(p => p.lines).join('')}
  return chunkAfter(all, last - n)
}

/** The chunks holding the lines numbered above `after`, oldest first, about `maxLines` lines in all. */
export function logsAfter(store: Store, app: string, after: number, maxLines = Number.POSITIVE_INFINITY): LogChunk[] {
  const out: LogChunk[] = []
  let lines = 0
  const rows = store.db.prepare('SELECT first, count, lines FROM log_chunks WHERE app = ? AND first + count - 1 > ? ORDER BY first').iterate(app, after)
  for (const row of rows as Iterable<ChunkRow>) {
    const chunk = chunkAfter(toChunk(row), after)!
    out.push(chunk)
    lines += chunk.last - chunk.first + 1
    if (lines >= maxLines) break
  }
  return out
}

/** The number of an app's newest line, 0 when it has none. */
export function lastLogId(store: Store, app: string): number {
  return ((state(store).next.get(app) as number | undefined) ?? 1) - 1
}

/** Calls `listener` with every chunk appended to `app` from now on; returns the unsubscribe function. */
export function onLogs(store: Store, app: string, listener: (chunk: LogChunk) => void): () => void {
  const {events} = state(store)
  events.on(app, listener)
  return () => events.off(app, listener)
}
