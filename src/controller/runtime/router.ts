import {STATUS_CODES} from 'node:http'
import {BlockList, connect, createServer as createNetServer, isIPv4, type AddressInfo, type Server as NetServer, type Socket} from 'node:net'
import {createSecureContext, createServer as createTlsServer, type SecureContext, type Server as TlsServer} from 'node:tls'

/** How the router treats requests for one app (its settings and TLS objects, controller-api.md §4.14-§4.16). */
export type Route = {
  app: string
  maintenance: boolean
  /** IP addresses and networks allowed in; empty allows everyone. */
  whitelist: string[]
  /** `tls:enable`: plain HTTP is redirected to HTTPS. */
  httpsEnforced: boolean
}

export type RouterOptions = {
  host?: string
  /** 0 picks a free port. */
  httpPort?: number
  httpsPort?: number
  /** The app a Host name belongs to, or undefined (unknown host, or `routing:disable`). */
  resolve: (hostname: string) => Route | undefined
  /** Ports of the app's ready web processes, served round-robin. */
  backends: (app: string) => number[]
  /** PEM certificate and key for an SNI name, or undefined. */
  certificate: (servername: string) => {cert: string; key: string} | undefined
}

export type RouterHandle = {httpPort: number; httpsPort: number; close: () => Promise<void>}

const MAX_HEAD = 64 * 1024
const READ_BUFFER = 64 * 1024
/** Where answers from the apps are read into (see `open`); one event handler runs at a time. */
let readBuffer = Buffer.allocUnsafe(READ_BUFFER)

/** nginx's plain error pages, as the Deis router (nginx) answers; the connection closes after them. */
function page(socket: Socket, status: number, headers: Record<string, string> = {}): void {
  const reason = status === 503 ? 'Service Temporarily Unavailable' : (STATUS_CODES[status] ?? '')
  const title = `${status} ${reason}`
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  let head = `HTTP/1.1 ${title}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n`
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`
  socket.end(`${head}\r\n${body}`)
}

function clientAddress(socket: Socket): string {
  const a = socket.remoteAddress ?? ''
  return a.startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : a
}

/** Host header without the port, lower-cased, without a trailing dot. */
export function hostName(host: string | undefined): string {
  const h = (host ?? '').trim().toLowerCase()
  const bare = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '')
  return bare.replace(/\.$/, '')
}

const lists = new Map<string, BlockList>()

/** True when `address` is in `whitelist` (addresses, networks `a.b.c.d/n`, or interfaces `a.b.c.e/n`). */
export function allowed(whitelist: string[], address: string): boolean {
  if (whitelist.length === 0) return true
  const key = whitelist.join(',')
  let list = lists.get(key)
  if (!list) {
    list = new BlockList()
    for (const entry of whitelist) {
      const [ip, prefix] = entry.split('/')
      const type = isIPv4(ip!) ? 'ipv4' : 'ipv6'
      try {
        if (prefix === undefined) list.addAddress(ip!, type)
        else list.addSubnet(ip!, Number(prefix), type)
      } catch {
        // the controller validated the list; an entry node cannot read simply matches nothing
      }
    }
    lists.set(key, list)
  }
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6')
}

/** A request head, read in one pass: what the router checks, and the lines it forwards unchanged. */
type Head = {
  method: string
  target: string
  host: string | undefined
  contentLength: string | undefined
  /** Transfer-Encoding or Upgrade present: the rest of the connection is a tunnel. */
  open: boolean
  /** The client's X-Forwarded-For, extended upstream. */
  forwardedFor: string | undefined
  /** The request line and the headers without the ones the router sets. */
  kept: string[]
}

/** Parses an HTTP/1.x request head (without the blank line). */
function parseHead(text: string): Head | undefined {
  const lines = text.split('\r\n')
  const first = lines[0]!
  const sp1 = first.indexOf(' ')
  const sp2 = sp1 < 0 ? -1 : first.indexOf(' ', sp1 + 1)
  if (sp1 <= 0 || sp2 <= sp1 + 1 || !first.startsWith('HTTP/1.', sp2 + 1)) return undefined
  const head: Head = {method: first.slice(0, sp1), target: first.slice(sp1 + 1, sp2), host: undefined, contentLength: undefined, open: false, forwardedFor: undefined, kept: [first]}
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    const colon = line.indexOf(':')
    if (colon <= 0) {
      head.kept.push(line)
      continue
    }
    const name = line.slice(0, colon).trim().toLowerCase()
    // the last occurrence wins, as a Map of the headers would have it
    switch (name) {
      case 'host':
        head.host = line.slice(colon + 1).trim()
        break
      case 'content-length':
        head.contentLength = line.slice(colon + 1).trim()
        break
      case 'transfer-encoding':
      case 'upgrade':
        head.open = true
        break
      case 'x-forwarded-for':
        head.forwardedFor = line.slice(colon + 1).trim()
        continue
      case 'x-forwarded-proto':
      case 'x-forwarded-port':
      case 'x-real-ip':
        continue
    }
    head.kept.push(line)
  }
  return head
}

/** The head sent upstream: the client's, with the router's X-Forwarded-* and X-Real-IP. */
function forwardHead(head: Head, client: string, proto: string, port: number): string {
  const xff = head.forwardedFor ? `${head.forwardedFor}, ${client}` : client
  return `${head.kept.join('\r\n')}\r\nX-Forwarded-For: ${xff}\r\nX-Forwarded-Proto: ${proto}\r\nX-Forwarded-Port: ${port}\r\nX-Real-IP: ${client}\r\n\r\n`
}

/**
 * The local router: HTTP and HTTPS (SNI) on 127.0.0.1, routing by Host to the app's ready web
 * processes round-robin, with the Deis router's maintenance (503), whitelist (403), HTTPS
 * enforcement (301) and routable rules.
 *
 * It proxies at the connection level for speed: each client connection is paired with one
 * connection to a process chosen round-robin, and every request head on it is checked and gets
 * the X-Forwarded-* headers; a request the rules refuse mid-connection, or one for another app,
 * closes the connection (clients reconnect). Bodies of unknown length (chunked) and upgrades
 * (WebSocket) turn the rest of the connection into a plain tunnel.
 */
export async function startRouter(opts: RouterOptions): Promise<RouterHandle> {
  const host = opts.host ?? '127.0.0.1'
  const turn = new Map<string, number>()
  const contexts = new Map<string, SecureContext>()
  const sockets = new Set<Socket>()
  let httpPort = 0
  let httpsPort = 0

  const pick = (app: string, skip?: number): number | undefined => {
    const ports = opts.backends(app).filter(p => p !== skip)
    if (ports.length === 0) return undefined
    const n = (turn.get(app) ?? 0) % ports.length
    turn.set(app, n + 1)
    return ports[n]
  }

  /** The route for a request after the Deis router's checks, or the refusal to answer with. */
  const admit = (head: Head, address: string, secure: boolean): Route | {status: number; headers?: Record<string, string>} => {
    const name = hostName(head.host)
    const route = opts.resolve(name)
    if (!route) return {status: 404}
    if (!allowed(route.whitelist, address)) return {status: 403}
    if (route.httpsEnforced && !secure) {
      const port = httpsPort === 443 ? '' : `:${httpsPort}`
      return {status: 301, headers: {Location: `https://${name}${port}${head.target}`}}
    }
    if (route.maintenance) return {status: 503}
    return route
  }

  const serve = (client: Socket, secure: boolean) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    const address = clientAddress(client)
    const proto = secure ? 'https' : 'http'
    const localPort = secure ? httpsPort : httpPort
    let buf: Buffer = Buffer.alloc(0)
    let upstream: Socket | undefined
    let app: string | undefined
    let answered = false
    let tunnel = false
    let bodyLeft = 0
    // what went upstream before the first answer, replayed if that process refuses the connection
    let sent: Buffer[] | undefined = []

    /** Strings are request heads, written as latin1 (what they were read as). */
    const send = (data: Buffer | string) => {
      if (!upstream) return
      if (sent) sent.push(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data))
      if (!(typeof data === 'string' ? upstream.write(data, 'latin1') : upstream.write(data))) {
        client.pause()
        upstream.once('drain', () => client.resume())
      }
    }

    const open = (port: number, retry: boolean) => {
      // answers are read into a shared buffer (no stream machinery or allocation per read) and written on
      // at once; the buffer is replaced when a write keeps a reference to it (the client is slow)
      const conn = connect({
        port,
        host: '127.0.0.1',
        noDelay: true,
        onread: {
          buffer: () => readBuffer,
          callback: (n, data) => {
            answered = true
            sent = undefined
            const more = client.write(data.subarray(0, n))
            if (client.writableLength > 0) readBuffer = Buffer.allocUnsafe(READ_BUFFER)
            if (more) return true
            client.once('drain', () => conn.resume())
            return false
          },
        },
      })
      upstream = conn
      conn.on('end', () => client.end())
      conn.on('error', error => {
        // a process that died since its last readiness check: try another once if nothing came back
        if (!answered && retry && (error as NodeJS.ErrnoException).code === 'ECONNREFUSED' && app) {
          const next = pick(app, port)
          if (next !== undefined) {
            const replay = sent ?? []
            sent = []
            open(next, false)
            for (const b of replay) send(b)
            return
          }
        }
        if (!answered) page(client, 502)
        else client.destroy()
      })
    }

    const pump = () => {
      while (buf.length > 0) {
        if (tunnel || bodyLeft > 0) {
          const n = tunnel ? buf.length : Math.min(bodyLeft, buf.length)
          send(buf.subarray(0, n))
          buf = buf.subarray(n)
          if (!tunnel) bodyLeft -= n
          continue
        }
        const end = buf.indexOf('\r\n\r\n')
        if (end < 0) {
          if (buf.length > MAX_HEAD) page(client, 431)
          return
        }
        const head = parseHead(buf.subarray(0, end).toString('latin1'))
        buf = buf.subarray(end + 4)
        if (!head) return page(client, 400)
        const verdict = admit(head, address, secure)
        if (!('app' in verdict)) {
          if (upstream) return void client.destroy()
          return page(client, verdict.status, verdict.headers)
        }
        if (!upstream) {
          app = verdict.app
          const port = pick(app)
          if (port === undefined) return page(client, 503)
          open(port, true)
        } else if (verdict.app !== app) {
          return void client.destroy()
        }
        send(forwardHead(head, address, proto, localPort))
        const length = head.contentLength
        if (head.open || head.method === 'CONNECT') tunnel = true
        else bodyLeft = length && /^\d+$/.test(length) ? Number(length) : 0
      }
    }

    client.setNoDelay(true)
    client.on('data', (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk])
      pump()
    })
    client.on('end', () => upstream?.end())
    client.on('error', () => upstream?.destroy())
    client.on('close', () => upstream?.destroy())
  }

  const plain: NetServer = createNetServer(socket => serve(socket, false))
  const secure: TlsServer = createTlsServer({
    SNICallback: (servername, done) => {
      const pem = opts.certificate(servername.toLowerCase())
      if (!pem) return done(new Error(`no certificate for ${servername}`))
      const key = pem.cert + pem.key
      let ctx = contexts.get(key)
      if (!ctx) {
        ctx = createSecureContext({cert: pem.cert, key: pem.key})
        contexts.set(key, ctx)
      }
      done(null, ctx)
    },
  }, socket => serve(socket, true))
  // TLS handshakes that fail (no certificate for the name) must not crash the controller
  secure.on('tlsClientError', () => {})

  const listen = (server: NetServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve((server.address() as AddressInfo).port)
      })
    })
  httpPort = await listen(plain, opts.httpPort ?? 8080)
  try {
    httpsPort = await listen(secure, opts.httpsPort ?? 8443)
  } catch (error) {
    plain.close()
    throw error
  }
  return {
    httpPort,
    httpsPort,
    async close() {
      for (const socket of sockets) socket.destroy()
      for (const server of [plain, secure]) await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}
