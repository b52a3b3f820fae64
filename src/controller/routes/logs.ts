import type {IncomingMessage} from 'node:http'
import type {WebSocket, WebSocketServer} from 'ws'
import {appFor} from '../http/access.js'
import {detail, empty, type Reply} from '../http/reply.js'
import type {RouteContext, Router} from '../http/routes.js'
import {chunkAfter, type LogChunk, type LogStore} from '../model/logs.js'

/** deis-logger's default when `log_lines` is missing or not a positive integer. */
const DEFAULT_LINES = 100
/** Lines per WebSocket frame (about 25 KB): small frames keep both ends' memory flat (bench/logs-follow.js). */
const FRAME_LINES = 250
/** Queued lines per follower before it falls back to reading the store (where old lines may be trimmed). */
const QUEUE_LIMIT = 200_000

function lineCount(raw: string | null): number {
  return raw !== null && /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : DEFAULT_LINES
}

/** `GET /v2/apps/{app}/logs`: the newest lines as text/plain, each ending in `\n`; 204 when there are none. */
function plain(ctx: RouteContext): Reply {
  const {app} = appFor(ctx)
  const tail = ctx.logs.tail(app.id, lineCount(ctx.query.get('log_lines')))
  // the controller turns the logger's 204/404 into an empty 204 with Django's default content type (transcript B7)
  if (!tail) return {status: 204, text: '', type: 'text/html; charset=utf-8'}
  return {status: 200, text: tail.text, type: 'text/plain'}
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * `POST /v2/apps/{app}/logs/append?source=<proc|tag>` (local controller only, not the real API): appends
 * each line of the text body, as `<app>[<proc>]` (default `web.1`) or a full tag such as `deis[controller]`.
 */
async function append(ctx: RouteContext): Promise<Reply> {
  const {app} = appFor(ctx)
  const raw = ctx.query.get('source') ?? 'web.1'
  if (!/^[\w.[\]-]+$/.test(raw)) throw detail(400, 'source must look like web.1 or deis[controller]')
  const source = raw.includes('[') ? raw : `${app.id}[${raw}]`
  const text = (await readText(ctx.req)).replace(/\r?\n$/, '')
  if (text !== '') ctx.logs.append(app.id, [{source, message: text}])
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
 * With `"window": N` as well, the server sends at most N lines past the last id the client confirmed
 * with a `{"ack":<id>}` frame, so a client that cannot print as fast holds the server back instead of
 * buffering (the undici client cannot pause its socket).
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
      ws.once('message', (data, isBinary) => new Follower(ctx.logs, app.id, ws).start(isBinary ? '' : String(data)))
      resolve()
    })
  })
  return {status: 101}
}

type StreamOptions = {lines: number; follow: boolean; timeout: number; after: number | null | undefined; window: number | undefined}

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
  const window = after !== undefined && typeof o.window === 'number' && o.window > 0 ? o.window : undefined
  return {lines, follow: o.follow === true, timeout, after, window}
}

const size = (c: LogChunk) => c.last - c.first + 1

/** One WebSocket reader: sends what is queued one frame at a time, each once the one before is flushed. */
class Follower {
  private queue: LogChunk[] = []
  private queued = 0
  private cursor = 0
  private sending = false
  private lagging = false
  private cursors = false
  /** With flow control, the lines the client may have unacknowledged, and its last `{"ack"}`. */
  private window: number | undefined
  private acked = 0
  private follow = false
  private done = false
  private unsubscribe: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly logs: LogStore,
    private readonly app: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('close', () => this.stop())
    ws.on('message', (data, isBinary) => {
      const m = isBinary ? null : /^\{"ack":(\d+)\}$/.exec(String(data))
      if (!m) return // Drycc: later client frames are ignored
      this.acked = Math.max(this.acked, Number(m[1]))
      this.pump()
    })
    ws.on('error', () => this.stop())
  }

  start(first: string): void {
    const o = streamOptions(first)
    this.cursors = o.after !== undefined
    this.window = o.window
    this.follow = o.follow
    const last = this.logs.lastId(this.app)
    let history: LogChunk | undefined
    if (typeof o.after === 'number' && o.after <= last) {
      this.cursor = o.after
      this.lagging = true // everything after the cursor comes from the store
    } else {
      history = this.logs.tail(this.app, o.lines < 0 ? Number.MAX_SAFE_INTEGER : o.lines)
      this.cursor = history ? history.first - 1 : last
    }
    this.acked = this.cursor
    if (this.cursors) this.ws.send(`{"cursor":${this.cursor}}`)
    if (history) this.push(history)
    if (this.follow) {
      this.unsubscribe = this.logs.on(this.app, chunk => this.push(chunk))
      this.timer = setTimeout(() => this.ws.close(1000), o.timeout * 1000)
      this.timer.unref()
    }
    this.pump()
  }

  private push(chunk: LogChunk): void {
    if (this.lagging || this.done) return
    this.queue.push(chunk)
    this.queued += size(chunk)
    if (this.queued > QUEUE_LIMIT) {
      this.queue = []
      this.queued = 0
      this.lagging = true
    }
    this.pump()
  }

  /** Up to FRAME_LINES lines past the cursor, from the queue, or from the store while lagging. */
  private frame(): LogChunk | undefined {
    if (this.queue.length === 0 && this.lagging) {
      for (const c of this.logs.after(this.app, this.cursor, FRAME_LINES)) {
        this.queue.push(c)
        this.queued += size(c)
      }
      if (this.queued < FRAME_LINES) this.lagging = false
    }
    let text = ''
    let upto = this.cursor
    while (this.queue.length > 0 && upto - this.cursor < FRAME_LINES) {
      const head = this.queue[0]!
      // a line read from the store while lagging can be announced again afterwards
      const chunk = chunkAfter(head, upto)
      const room = FRAME_LINES - (upto - this.cursor)
      if (chunk && size(chunk) > room) {
        const rest = chunkAfter(chunk, chunk.first + room - 1)!
        text += chunk.text.slice(0, chunk.text.length - rest.text.length)
        upto = chunk.first + room - 1
        this.queue[0] = rest
        this.queued -= size(head) - size(rest)
        break
      }
      if (chunk) {
        text += chunk.text
        upto = chunk.last
      }
      this.queue.shift()
      this.queued -= size(head)
    }
    return upto > this.cursor ? {first: this.cursor + 1, last: upto, text} : undefined
  }

  private pump(): void {
    if (this.sending || this.done) return
    if (this.window !== undefined && this.cursor - this.acked >= this.window) return
    const frame = this.frame()
    if (!frame) {
      if (!this.follow && !this.lagging) this.ws.close(1000)
      return
    }
    this.cursor = frame.last
    this.sending = true
    this.ws.send(this.cursors ? `${frame.last}\n${frame.text}` : frame.text, error => {
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
