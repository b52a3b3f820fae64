import {STATUS_CODES} from 'node:http'
import {connect, isIPv4, type Socket} from 'node:net'
import {headEnd, hostName, parseRequestHead, ResponseFramer, type RequestHead} from './http-head.js'
import {admit, type Refusal, type Route} from './rules.js'

/** What one proxied connection asks of the router. */
export type ProxyContext = {
  /** The app a host name belongs to, or undefined (unknown host, or `routing:disable`). */
  resolve: (hostname: string) => Route | undefined
  /** A ready web process's port for the app, round-robin, other than `skip`; undefined when none is ready. */
  pick: (app: string, skip?: number) => number | undefined
  secure: boolean
  /** The router's own ports: X-Forwarded-Port, and where HTTPS redirects point. */
  localPort: number
  httpsPort: number
}

const MAX_HEAD = 64 * 1024
/** Pipelined bytes kept while earlier answers finish; a client that sends more is cut off. */
const MAX_HELD = 1024 * 1024
const READ_BUFFER = 64 * 1024
/** Where answers from the apps are read into (see `Upstream`); one event handler runs at a time. */
let readBuffer = Buffer.allocUnsafe(READ_BUFFER)

/** nginx's plain error pages, as the Deis router (nginx) answers them. */
function page(status: number, headers: Record<string, string>, close: boolean): string {
  const reason = status === 503 ? 'Service Temporarily Unavailable' : (STATUS_CODES[status] ?? '')
  const title = `${status} ${reason}`
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  let head = `HTTP/1.1 ${title}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: ${close ? 'close' : 'keep-alive'}\r\n`
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`
  return `${head}\r\n${body}`
}

function clientAddress(socket: Socket): string {
  const a = socket.remoteAddress ?? ''
  return a.startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : a
}

/** The head sent upstream: the client's, with the router's X-Forwarded-* and X-Real-IP. */
function forwardHead(head: RequestHead, client: string, proto: string, port: number): string {
  const xff = head.forwardedFor ? `${head.forwardedFor}, ${client}` : client
  return `${head.kept.join('\r\n')}\r\nX-Forwarded-For: ${xff}\r\nX-Forwarded-Proto: ${proto}\r\nX-Forwarded-Port: ${port}\r\nX-Real-IP: ${client}\r\n\r\n`
}

/** One connection to an app process, carrying the requests of one client connection for that app. */
type Upstream = {
  app: string
  port: number
  socket: Socket
  framer: ResponseFramer
  /** Bytes came back: a refused connect can no longer be retried elsewhere. */
  answered: boolean
  /** What went up before the first answer, replayed if that process refuses the connection. */
  sent: Buffer[] | undefined
}

/**
 * Proxies one client connection. Every request head is parsed and checked on its own, so each
 * request on a kept-alive connection is routed by its own Host; requests for the same app share
 * one upstream connection, and a request for another app (or one the rules refuse) waits until the
 * answers before it are complete, so pipelined answers come back in order. Bodies of unknown length
 * (chunked) and upgrades (WebSocket) turn the rest of the connection into a tunnel.
 */
export function serveConnection(client: Socket, ctx: ProxyContext): void {
  const address = clientAddress(client)
  const proto = ctx.secure ? 'https' : 'http'
  let buf: Buffer = Buffer.alloc(0)
  let up: Upstream | undefined
  let tunnel = false
  let bodyLeft = 0
  /** The body being skipped belongs to a refused request. */
  let discard = false
  /** A request waits for the answers before it (see above). */
  let held = false
  /** What to do once the held request may go: an answer that closes the connection, else the next request. */
  let after: (() => void) | undefined
  let done = false
  /** The last request went up with `Connection: close`: the client's connection ends after its answer. */
  let last = false

  /** Strings are request heads, written as latin1 (what they were read as). */
  const send = (data: Buffer | string) => {
    if (!up) return
    if (up.sent) up.sent.push(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data))
    const socket = up.socket
    if (!(typeof data === 'string' ? socket.write(data, 'latin1') : socket.write(data))) {
      client.pause()
      socket.once('drain', () => client.resume())
    }
  }

  /** An error page; the connection stays open unless `close` (or the request asked for it). */
  const refuse = (r: Refusal, close: boolean) => {
    if (close) {
      done = true
      client.end(page(r.status, r.headers ?? {}, true))
      up?.socket.destroy()
    } else {
      client.write(page(r.status, r.headers ?? {}, false))
    }
  }

  const release = () => {
    if (!held || (up && up.framer.pending > 0)) return
    held = false
    const next = after
    after = undefined
    client.resume()
    // not inside the upstream's read callback: pump may replace that connection
    setImmediate(next ?? pump)
  }

  const open = (app: string, port: number, retry: boolean): Upstream => {
    const framer = new ResponseFramer()
    // answers are read into a shared buffer (no stream machinery or allocation per read) and written on
    // at once; the buffer is replaced when a write keeps a reference to it (the client is slow)
    const socket = connect({
      port,
      host: '127.0.0.1',
      noDelay: true,
      onread: {
        buffer: () => readBuffer,
        callback: (n, data) => {
          const chunk = data.subarray(0, n) as Buffer
          conn.answered = true
          conn.sent = undefined
          const more = client.write(chunk)
          if (client.writableLength > 0) readBuffer = Buffer.allocUnsafe(READ_BUFFER)
          if (framer.feed(chunk) > 0) {
            if (last && framer.pending === 0) client.end()
            else if (held) release()
          }
          if (more) return true
          client.once('drain', () => socket.resume())
          return false
        },
      },
    })
    const conn: Upstream = {app, port, socket, framer, answered: false, sent: []}
    socket.on('end', () => {
      if (up !== conn) return
      // an idle keep-alive connection the app closed: the next request opens another
      if (framer.pending === 0 && !framer.untilClose && !tunnel && !last) {
        up = undefined
        if (held) release()
        return
      }
      done = true
      client.end()
    })
    socket.on('error', error => {
      if (up !== conn) return
      // a process that died since its last readiness check: try another once if nothing came back
      if (!conn.answered && retry && (error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
        const next = ctx.pick(app, port)
        if (next !== undefined) {
          const replay = conn.sent ?? []
          up = open(app, next, false)
          for (const method of framer.pendingMethods()) up.framer.sent(method)
          for (const b of replay) send(b)
          return
        }
      }
      up = undefined
      if (!conn.answered) refuse({status: 502}, true)
      else client.destroy()
    })
    return conn
  }

  function pump(): void {
    while (buf.length > 0 && !done) {
      if (tunnel) {
        send(buf)
        buf = Buffer.alloc(0)
        return
      }
      if (bodyLeft > 0) {
        const n = Math.min(bodyLeft, buf.length)
        if (!discard) send(buf.subarray(0, n))
        buf = buf.subarray(n)
        bodyLeft -= n
        continue
      }
      if (held || last) {
        if (buf.length > MAX_HELD) client.destroy()
        return
      }
      const end = headEnd(buf, MAX_HEAD)
      if (end === -1) return
      if (end === -2) return wait(() => refuse({status: 431}, true))
      const head = parseRequestHead(buf.toString('latin1', 0, end))
      if ('status' in head) return wait(() => refuse(head, true))
      const name = hostName(head.host)
      const verdict = admit(ctx.resolve(name), {name, target: head.target, address, secure: ctx.secure, httpsPort: ctx.httpsPort})
      const app = 'app' in verdict ? verdict.app : undefined
      // another app, or an answer of our own: only once the answers before it have gone out
      if (up && up.framer.pending > 0 && up.app !== app) return hold()
      buf = buf.subarray(end + 4)
      if (!app) {
        refuse(verdict as Refusal, head.close || head.open)
        ;[bodyLeft, discard] = [head.contentLength, true]
        continue
      }
      if (up && up.app !== app) {
        up.socket.destroy()
        up = undefined
      }
      if (!up) {
        const port = ctx.pick(app)
        if (port === undefined) {
          refuse({status: 503}, head.close || head.open)
          ;[bodyLeft, discard] = [head.contentLength, true]
          continue
        }
        up = open(app, port, true)
      }
      send(forwardHead(head, address, proto, ctx.localPort))
      up.framer.sent(head.method)
      if (head.open) tunnel = true
      else [bodyLeft, discard] = [head.contentLength, false]
      if (head.close) last = true
    }
  }

  function hold(): void {
    held = true
    client.pause()
  }

  /** Runs `answer` once no earlier answer is still coming (a refusal that closes the connection). */
  function wait(answer: () => void): void {
    if (!up || up.framer.pending === 0) return answer()
    after = answer
    hold()
  }

  client.setNoDelay(true)
  client.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk])
    pump()
  })
  client.on('end', () => {
    if (up) up.socket.end()
    else client.end()
  })
  client.on('error', () => up?.socket.destroy())
  client.on('close', () => up?.socket.destroy())
}
