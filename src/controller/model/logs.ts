import {EventEmitter} from 'node:events'
import type {Store} from './db.js'

/**
 * The local controller's logger. Per app, ordered lines `<time> <source>: <message>` (time as
 * `YYYY-MM-DDTHH:MM:SS+00:00`, deis-logger's layout), numbered 1, 2, 3... and kept to the newest
 * `retain` (deis-logger's ring holds 1000). One append is stored as one chunk row holding all its
 * lines, so a batch costs one insert; an event per append lets streaming followers receive the new
 * lines without polling SQLite.
 *
 * How to append (runtime, route modules, tests), through the store's `logs`:
 *   logs.line(app, processSource(app, 'web', 'v3', pod), 'listening on :5000')  // `<app>[web.v3.x8k2q]: ...`
 *   logs.event(app, 'alice scaled pods web=4')                                  // `deis[controller]: INFO ...`
 *   logs.append(app, [{source, message}, ...])                                  // one chunk
 */

/** Lines kept per app when the controller options do not say otherwise. */
export const DEFAULT_RETAIN = 1000

/** The source tag of controller events, as the real controller's logger writes them. */
export const CONTROLLER_SOURCE = 'deis[controller]'

export type LogEntry = {source: string; message: string; time?: string}

/** Lines `first`..`last` of an app's log, each ending in `\n`. */
export type LogChunk = {first: number; last: number; text: string}

type ChunkRow = {first: number; count: number; lines: string}
const toChunk = (r: ChunkRow): LogChunk => ({first: r.first, last: r.first + r.count - 1, text: r.lines})

/** `2026-11-25T03:18:28+00:00`, the timestamp deis-logger writes. */
export function logTime(d: Date = new Date()): string {
  return `${d.toISOString().slice(0, 19)}+00:00`
}

/**
 * The source tag of a line an app's process printed, `<app>[<type>.<release>.<pod suffix>]`, e.g.
 * `example-app[web.v3.x8k2q]` for pod `example-app-web-3374257146-x8k2q` of release v3.
 */
export function processSource(app: string, type: string, release: string, pod: string): string {
  return `${app}[${type}.${release}.${pod.slice(pod.lastIndexOf('-') + 1)}]`
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

export class LogStore {
  readonly retain: number
  private readonly events = new EventEmitter()
  /** Appends made inside someone else's transaction (and any after them), announced once committed. */
  private deferred: Array<{app: string; chunk: LogChunk}> = []
  private muted = 0

  constructor(
    private readonly store: Store,
    retain: number | undefined,
  ) {
    this.retain = retain !== undefined && Number.isInteger(retain) && retain > 0 ? retain : DEFAULT_RETAIN
    this.events.setMaxListeners(0)
  }

  private nextId(app: string): number | undefined {
    return this.store.sql('SELECT first + count FROM log_chunks WHERE app = ? ORDER BY first DESC LIMIT 1').pluck().get(app) as number | undefined
  }

  /**
   * Appends lines to an app's log as one chunk (a message with newlines becomes several lines), trims
   * the app to its newest `retain` lines, and announces the chunk to followers; inside the caller's
   * transaction, once that has committed. Returns the stored lines, or undefined for no entries.
   */
  append(app: string, entries: LogEntry[]): LogChunk | undefined {
    const store = this.store
    const inOuterTx = store.inTransaction
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
      const first = this.nextId(app) ?? 1
      store.sql('INSERT INTO log_chunks (app, first, count, lines) VALUES (?, ?, ?, ?)').run(app, first, count, text)
      const last = first + count - 1
      this.trim(app, last - this.retain)
      return {first, last, text}
    })
    // while an announcement waits for a commit, later appends wait behind it so followers get them in order
    if (!inOuterTx && this.deferred.length === 0) {
      this.events.emit(app, chunk)
    } else {
      if (this.deferred.length === 0) queueMicrotask(() => this.announceDeferred())
      this.deferred.push({app, chunk})
    }
    return chunk
  }

  /** Appends one line; see append. */
  line(app: string, source: string, message: string): LogChunk | undefined {
    return this.append(app, [{source, message}])
  }

  /** Appends a controller event, `alice scaled pods web=2` as `deis[controller]: INFO alice scaled pods web=2`. */
  event(app: string, message: string): LogChunk | undefined {
    if (this.muted > 0) return undefined
    return this.append(app, [{source: CONTROLLER_SOURCE, message: `INFO ${message}`}])
  }

  /** Runs `work` without logging its controller events (tests seed apps whose logs start empty). */
  withoutEvents<T>(work: () => T): T {
    this.muted++
    try {
      return work()
    } finally {
      this.muted--
    }
  }

  /** Drops the lines numbered `cutoff` and below: whole chunks, then the front of the one it falls in. */
  private trim(app: string, cutoff: number): void {
    if (cutoff < 1) return
    const store = this.store
    store.sql('DELETE FROM log_chunks WHERE app = ? AND first <= ? AND first + count - 1 <= ?').run(app, cutoff, cutoff)
    const rows = store.sql('SELECT seq, first, count, lines FROM log_chunks WHERE app = ? AND first <= ?').all(app, cutoff) as Array<ChunkRow & {seq: number}>
    for (const row of rows) {
      const kept = chunkAfter(toChunk(row), cutoff)
      if (kept) store.sql('UPDATE log_chunks SET first = ?, count = ?, lines = ? WHERE seq = ?').run(kept.first, kept.last - kept.first + 1, kept.text, row.seq)
    }
  }

  /**
   * better-sqlite3 transactions are synchronous, so by the next microtask they have committed or rolled
   * back. The lines are read again, once per app over the waiting range: a rolled-back number is given
   * again to the next append, and only what committed may reach followers.
   */
  private announceDeferred(): void {
    const ranges = new Map<string, {from: number; to: number}>()
    for (const {app, chunk} of this.deferred.splice(0)) {
      const r = ranges.get(app)
      ranges.set(app, r ? {from: Math.min(r.from, chunk.first), to: Math.max(r.to, chunk.last)} : {from: chunk.first, to: chunk.last})
    }
    if (!this.store.open) return
    for (const [app, {from, to}] of ranges) {
      for (const chunk of this.after(app, from - 1)) {
        if (chunk.first > to) break
        this.events.emit(app, chunk)
      }
    }
  }

  /** The newest `n` lines of an app as one chunk, undefined when it has none. */
  tail(app: string, n: number): LogChunk | undefined {
    if (n <= 0) return undefined
    const parts: ChunkRow[] = []
    let lines = 0
    // all() with a bound rather than iterate(): iterators are objects the garbage collector must finalize (see Store);
    // each chunk holds at least one line, so n chunks always hold the newest n lines
    for (const row of this.store.sql('SELECT first, count, lines FROM log_chunks WHERE app = ? ORDER BY first DESC LIMIT ?').all(app, n) as ChunkRow[]) {
      parts.push(row)
      lines += row.count
      if (lines >= n) break
    }
    if (parts.length === 0) return undefined
    const last = parts[0]!.first + parts[0]!.count - 1
    const all: LogChunk = {
      first: parts.at(-1)!.first,
      last,
      text: parts
        .reverse()
        .map(p => p.lines)
        .join(''),
    }
    return chunkAfter(all, last - n)
  }

  /** The chunks holding the lines numbered above `after`, oldest first, about `maxLines` lines in all. */
  after(app: string, after: number, maxLines = Number.POSITIVE_INFINITY): LogChunk[] {
    const out: LogChunk[] = []
    let lines = 0
    // a bound as in tail(): at most maxLines chunks can be needed (-1: no limit in SQLite)
    const limit = Number.isFinite(maxLines) ? Math.max(1, Math.ceil(maxLines)) : -1
    const rows = this.store.sql('SELECT first, count, lines FROM log_chunks WHERE app = ? AND first + count - 1 > ? ORDER BY first LIMIT ?').all(app, after, limit)
    for (const row of rows as ChunkRow[]) {
      const chunk = chunkAfter(toChunk(row), after)!
      out.push(chunk)
      lines += chunk.last - chunk.first + 1
      if (lines >= maxLines) break
    }
    return out
  }

  /** The number of an app's newest line, 0 when it has none. */
  lastId(app: string): number {
    return (this.nextId(app) ?? 1) - 1
  }

  /** How many lines the app's log holds. */
  count(app: string): number {
    return (this.store.sql('SELECT COALESCE(SUM(count), 0) FROM log_chunks WHERE app = ?').pluck().get(app) as number) ?? 0
  }

  /** How the app's lines are stored, as [first, count] per chunk (tests check trimming with it). */
  chunks(app: string): Array<[number, number]> {
    return (this.store.sql('SELECT first, count FROM log_chunks WHERE app = ? ORDER BY first').all(app) as ChunkRow[]).map(r => [r.first, r.count])
  }

  /** Calls `listener` with every chunk appended to `app` from now on; returns the unsubscribe function. */
  on(app: string, listener: (chunk: LogChunk) => void): () => void {
    this.events.on(app, listener)
    return () => this.events.off(app, listener)
  }
}
