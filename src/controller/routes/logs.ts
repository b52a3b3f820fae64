import type {IncomingMessage} from 'node:http'
import type {WebSocket, WebSocketServer} from 'ws'
import {appFor} from '../access.js'
import {detail, empty, type Reply} from '../http.js'
import {appendLogs, lastLogId, logsAfter, onLogs, processSource, tailLogs, type LogRow} from '../logs.js'
import type {RouteContext, Router} from '../router.js'
import type {Store} from '../store.js'

/** deis-logger's default when `log_lines` is missing or not a positive integer. */
const DEFAULT_LINES = 100
/** Lines per WebSocket frame. */
const FRAME_LINES = 20_000
/** Queued lines per follower before it falls back to reading the store (where old lines may be trimmed). */
const QUEUE_LIMIT = 200_000

function lineCount(raw: string | null): number {
  return raw !== null && /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : DEFAULT_LINES
}

/** `GET /v2/apps/{app}/logs`: the newest lines as text/plain, each ending in `\n`; 204 when there are none. */
function plain(ctx: RouteContext): Reply {
  const {app} = appFor(ctx)
  const rows = tailLogs(ctx.store, app.id, lineCount(ctx.query.get('log_lines')))
  // the controller turns the logger's 204/404 into an empty 204 with Django's default content type (transcript B7)
  if (rows.length === 0) return {status: 204, text: '', type: 'text/html; charset=utf-8'}
  return {status: 200, text: rows.map(r => `${r.line}\n`).join(''), type: 'text/plain'}
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * `POST /v2/apps/{app}/logs/append?source=<proc|tag>` (local controller only, not the real API): appends
 * each line of the text body, as `<app>[<proc>]` (default `web.1`) or a full tag such as `deis[api]`.
 */
async function append(ctx: RouteContext): Promise<Reply> {
  const {app} = appFor(ctx)
  const raw = ctx.query.get('source') ?? 'web.1'
  if (!/^[\w.[\]-]+$/.test(raw)) throw detail(400, 'source must look like web.1 or deis[api]')
  const source = raw.includes('[') ? raw : processSource(app.id, raw)
  const text = (await readText(ctx.req)).replace(/\r?\n$/, '')
  if (text !== '') appendLogs(ctx.store, app.id, [{source, message: text}])
  return empty(204)
}

let server: WebSocketServer | undefined

/**
 * The same path over WebSocket, in Drycc's protocol: the client's first text frame is
 * `{"lines": N, "follow": bool, "timeout": seconds}` (defaults 100, false, 300); the server answers with
 * the newest N lines and, when following, every new line, then closes with 1000 at the timeout.
 *
 * Extension (ignored by Drycc servers): a first frame with an `"after"` key (`null` or a line id) opts
 * into cursors. The server then sends `{"cursor":<id>}` first (the id the stream starts after), and every
 * later frame as `<id of its last line>\n<lines>`; reconnecting with `"after": <id>` resumes exactly
 * there while the lines are still kept (an id the store does not know falls back to the newest N).
 */
async function stream(ctx: RouteContext): Promise<Reply> {
  const {app} = appFor(ctx)
  if (!server) {
    const {WebSocketServer} = await import('ws')
    server = new WebSocketServer({noServer: true, perMessageDeflate: false})
  }
  const wss = server
  const socket = ctx.req.socket
  await new Promise<void>(resolve => {
    socket.once('close', () => resolve())
    wss.handleUpgrade(ctx.req, socket, Buffer.alloc(0), ws => {
      ws.once('message', (data, isBinary) => new Follower(ctx.store, app.id, ws).start(isBinary ? '' : String(data)))
      resolve()
    })
  })
  return {status: 101}
}

type StreamOptions = {lines: number; follow: boolean; timeout: number; after: number | null | undefined}

function streamOptions(text: string): StreamOptions {
  let o: Record<string, unknown> = {}
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) o = parsed as Record<string, unknown>
  } catch {
    o = {}
  }
  const lines = typeof o.lines === 'number' && Number.isInteger(o.lines) ? o.lines : DEFAULT_LINES
  const timeout = typeof o.timeout === 'number' && o.timeout > 0 ? o.timeout : 300
  const after = !('after' in o) ? undefined : typeof o.after === 'number' && Number.isInteger(o.after) && o.after >= 0 ? o.after : null
  return {lines, follow: o.follow === true, timeout, after}
}

/** One WebSocket reader: sends queued batches one frame at a time, waiting for each to be flushed. */
class Follower {
  private queue: LogRow[][] = []
  private queued = 0
  private cursor = 0
  private sending = false
  private lagging = false
  private cursors = false
  private follow = false
  private done = false
  private unsubscribe: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly store: Store,
    private readonly app: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('close', () => this.stop())
    ws.on('error', () => this.stop())
  }

  start(first: string): void {
    const o = streamOptions(first)
    this.cursors = o.after !== undefined
    this.follow = o.follow
    const last = lastLogId(this.store, this.app)
    let history: LogRow[]
    if (typeof o.after === 'number' && o.after <= last) {
      this.cursor = o.after
      this.lagging = true // read everything after the cursor from the store
      history = []
    } else {
      history = o.lines === 0 ? [] : tailLogs(this.store, this.app, o.lines)
      this.cursor = history.length > 0 ? history[0]!.id - 1 : last
    }
    if (this.cursors) this.ws.send(`{"cursor":${this.cursor}}`)
    if (history.length > 0) this.push(history)
    if (this.follow) {
      this.unsubscribe = onLogs(this.store, this.app, rows => this.push(rows))
      this.timer = setTimeout(() => this.ws.close(1000), o.timeout * 1000)
      this.timer.unref()
    }
    this.pump()
  }

  private push(rows: LogRow[]): void {
    if (this.lagging || this.done) return
    this.queue.push(rows)
    this.queued += rows.length
    if (this.queued > QUEUE_LIMIT) {
      this.queue = []
      this.queued = 0
      this.lagging = true
    }
    this.pump()
  }

  private next(): LogRow[] {
    if (this.queue.length === 0 && this.lagging) {
      const rows = logsAfter(this.store, this.app, this.cursor, FRAME_LINES)
      if (rows.length < FRAME_LINES) this.lagging = false
      return rows
    }
    const out: LogRow[] = []
    while (this.queue.length > 0 && out.length < FRAME_LINES) {
      const batch = this.queue[0]!
      const room = FRAME_LINES - out.length
      if (batch.length <= room) {
        out.push(...batch)
        this.queue.shift()
      } else {
        out.push(...batch.slice(0, room))
        this.queue[0] = batch.slice(room)
      }
    }
    this.queued -= out.length
    // a line read from the store while lagging can be announced again afterwards
    const fresh: LogRow[] = []
    for (const r of out) if (r.id > (fresh.at(-1)?.id ?? this.cursor)) fresh.push(r)
    return fresh
  }

  private pump(): void {
    if (this.sending || this.done) return
    const rows = this.next()
    if (rows.length === 0) {
      if (!this.follow && !this.lagging && this.queue.length === 0) this.ws.close(1000)
      return
    }
    this.cursor = rows[rows.length - 1]!.id
    let text = ''
    for (const r of rows) text += `${r.line}\n`
    if (this.cursors) text = `${this.cursor}\n${text}`
    this.sending = true
    this.ws.send(text, error => {
      this.sending = false
      if (error) this.stop()
      else this.pump()
    })
  }

  private stop(): void {
    if (this.done) return
    this.done = true
    this.unsubscribe?.()
    if (this.timer) clearTimeout(this.timer)
    this.queue = []
  }
}

function isWebSocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket'
}

export function logRoutes(router: Router): void {
  router.add('/v2/apps/{app:[a-z0-9-]+}/logs/?', 'user', {GET: ctx => (isWebSocket(ctx.req) ? stream(ctx) : plain(ctx))})
  router.add('/v2/apps/{app:[a-z0-9-]+}/logs/append/?', 'user', {POST: append})
}
