import {setTimeout as wait} from 'node:timers/promises'
import type {WebSocket} from 'undici'
import {ApiError, ConnectionError} from '../errors.js'
import {newLines, overlapEnd, splitLines, Tail} from './lines.js'

/**
 * `deis logs -f`. Streams over the controller's WebSocket (Drycc's protocol: first frame
 * `{"lines","follow","timeout"}`, then text frames of lines) and, when no stream is offered, polls the
 * plain endpoint printing only the lines past the overlap with the window before. Reconnects after a
 * dropped stream or a controller restart, with backoff: against the local controller by its cursor
 * (the `"after"` extension documented in src/controller/routes/logs.ts), elsewhere by overlap with
 * the lines already printed. Ends cleanly on SIGINT/SIGTERM or when stdout closes.
 */
export type FollowOptions = {
  /** Opens the WebSocket (api.logs.stream). */
  open: () => Promise<WebSocket>
  /** Reads the plain endpoint (api.logs.get): text, '' for 204. */
  fetch: (lines: number) => Promise<string>
  /** The `-n` lines to start with; the controller's 100 when undefined. */
  lines: number | undefined
  /** Prints whole lines, each ending in `\n`. */
  write: (text: string) => void
  warn: (line: string) => void
}

/** Lines asked for when matching windows: deis-logger keeps 1000 per app. */
const WINDOW = 1000
/** Seconds one stream lasts before the server closes it (Drycc's default); the client then resumes. */
const STREAM_TIMEOUT = 300
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 5000]
const POLL_MS = {fast: 250, start: 1000, slow: 2000}
/** Without cursors, the lines replayed on reconnect are matched once the stream pauses this long. */
const RESYNC_QUIET_MS = 300
const CURSOR_FRAME = /^\{"cursor":(\d+)\}$/
/** Lines the local controller may send past the last one confirmed printed (flow control, about 200 KB). */
const ACK_WINDOW = 2000

type State = {tail: Tail; cursor: number | undefined; cursors: boolean}

const backoff = (attempt: number) => BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!

/** Resolves after `ms`, or as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return wait(ms, undefined, {signal}).catch(() => undefined)
}

/** A failure worth retrying while following: the controller is away or its logger failed (500). */
function retryable(error: unknown): boolean {
  return error instanceof ConnectionError || (error instanceof ApiError && error.status >= 500)
}

/**
 * `work`, or undefined as soon as `signal` aborts. The request is left to finish on its own, and its failure too:
 * once the command ends, closing the client fails it, and nothing may be left waiting to hear that.
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    work.catch(() => undefined)
    return Promise.resolve(undefined)
  }
  return new Promise((resolve, reject) => {
    const stop = () => resolve(undefined)
    signal.addEventListener('abort', stop, {once: true})
    work.then(
      value => {
        signal.removeEventListener('abort', stop)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop)
        reject(error)
      },
    )
  })
}

/** Aborts on SIGINT, SIGTERM or a closed stdout (EPIPE); `release` removes the handlers. */
function interruption(): {signal: AbortSignal; release: () => void} {
  const ac = new AbortController()
  const stop = () => ac.abort()
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    ac.abort()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  process.stdout.on('error', onStdoutError)
  return {
    signal: ac.signal,
    release() {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      process.stdout.off('error', onStdoutError)
    },
  }
}

/** Follows an app's log until interrupted; throws only for errors that retrying cannot fix. */
export async function followLogs(o: FollowOptions): Promise<void> {
  const {signal, release} = interruption()
  try {
    await run(o, signal)
  } finally {
    release()
  }
}

async function run(o: FollowOptions, signal: AbortSignal): Promise<void> {
  const st: State = {tail: new Tail(WINDOW), cursor: undefined, cursors: false}
  let everOpened = false
  let attempt = 0
  let warned = false
  while (!signal.aborted) {
    const s = await session(o, st, everOpened, signal)
    if (signal.aborted) return
    if (s.opened) {
      everOpened = true
      warned = false
    }
    if (s.received) attempt = 0
    // the stream ended or never opened: the plain endpoint says whether to give up, retry, or poll
    let probe: string | undefined
    try {
      probe = await unlessAborted(o.fetch(everOpened ? 1 : WINDOW), signal)
    } catch (error) {
      if (!everOpened || !retryable(error)) throw error
      if (!warned) o.warn(`reconnecting: ${(error as Error).message}`)
      warned = true
    }
    if (signal.aborted) return
    if (probe !== undefined && !everOpened) return poll(o, probe, signal)
    await sleep(backoff(attempt++), signal)
  }
}

type Session = {opened: boolean; received: boolean}

/** One WebSocket connection, printing what it receives; resolves when it closes or fails to open. */
function session(o: FollowOptions, st: State, reconnect: boolean, signal: AbortSignal): Promise<Session> {
  return new Promise(resolve => {
    let opened = false
    let received = false
    let first = true
    let ws: WebSocket | undefined
    const decoder = new TextDecoder()
    // without cursors a reconnect replays lines already printed: collect them, then skip the overlap
    let replay: string[] | undefined = reconnect && !st.cursors ? [] : undefined
    let quiet: NodeJS.Timeout | undefined
    // confirm each frame once stdout has taken it, so a slow reader holds the server back, not our memory
    let unacked: number | undefined
    const sendAck = () => {
      if (unacked !== undefined && ws?.readyState === 1) ws.send(`{"ack":${unacked}}`)
      unacked = undefined
    }
    const ack = (id: number) => {
      const waiting = unacked !== undefined
      unacked = id
      if (!process.stdout.writableNeedDrain) sendAck()
      else if (!waiting) process.stdout.once('drain', sendAck)
    }
    const endReplay = () => {
      if (quiet) clearTimeout(quiet)
      if (!replay) return
      const fresh = replay.slice(overlapEnd(st.tail.lines, replay))
      replay = undefined
      print(fresh)
    }
    const print = (lines: string[]) => {
      if (lines.length === 0) return
      o.write(`${lines.join('\n')}\n`)
      st.tail.push(lines)
    }
    const onFrame = (text: string) => {
      if (first) {
        first = false
        const m = CURSOR_FRAME.exec(text)
        st.cursors = Boolean(m)
        if (m) {
          st.cursor = Number(m[1])
          replay = undefined
          return
        }
      }
      if (st.cursors) {
        const nl = text.indexOf('\n')
        st.cursor = Number(text.slice(0, nl))
        o.write(text.slice(nl + 1))
        ack(st.cursor)
        return
      }
      const lines = splitLines(text)
      if (!replay) return print(lines)
      replay.push(...lines)
      if (quiet) clearTimeout(quiet)
      if (replay.length >= WINDOW) endReplay()
      else quiet = setTimeout(endReplay, RESYNC_QUIET_MS)
    }
    const onAbort = () => ws?.close(1000)
    const finish = () => {
      signal.removeEventListener('abort', onAbort)
      endReplay()
      resolve({opened, received})
    }
    signal.addEventListener('abort', onAbort, {once: true})
    o.open().then(socket => {
      ws = socket
      socket.binaryType = 'arraybuffer'
      socket.onopen = () => {
        opened = true
        const lines = reconnect ? WINDOW : (o.lines ?? 100)
        socket.send(JSON.stringify({lines, follow: true, timeout: STREAM_TIMEOUT, after: st.cursor ?? null, window: ACK_WINDOW}))
      }
      socket.onmessage = ev => {
        received = true
        const data = ev.data as string | ArrayBuffer
        onFrame(typeof data === 'string' ? data : decoder.decode(data, {stream: true}))
      }
      socket.onerror = () => {}
      socket.onclose = finish
      if (signal.aborted) socket.close(1000)
    }, finish)
  })
}

/** Polls the plain endpoint, printing the lines past each window's overlap with the one before. */
async function poll(o: FollowOptions, firstWindow: string, signal: AbortSignal): Promise<void> {
  let prev = splitLines(firstWindow)
  if (prev.length > 0) o.write(`${prev.slice(-(o.lines ?? 100)).join('\n')}\n`)
  let interval = POLL_MS.start
  let attempt = 0
  let warned = false
  while (!signal.aborted) {
    await sleep(attempt > 0 ? backoff(attempt - 1) : interval, signal)
    if (signal.aborted) return
    let text: string | undefined
    try {
      text = await unlessAborted(o.fetch(WINDOW), signal)
    } catch (error) {
      if (!retryable(error)) throw error
      if (!warned) o.warn(`reconnecting: ${(error as Error).message}`)
      warned = true
      attempt++
      continue
    }
    if (text === undefined) return
    attempt = 0
    warned = false
    const window = splitLines(text)
    const fresh = newLines(prev, window)
    if (fresh.length > 0) o.write(`${fresh.join('\n')}\n`)
    prev = window
    interval = fresh.length > 0 ? POLL_MS.fast : Math.min(interval * 2, POLL_MS.slow)
  }
}
