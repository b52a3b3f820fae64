import {Agent, createServer, request, STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer, type Server as HttpsServer} from 'node:https'
import {BlockList, connect, isIPv4, type AddressInfo, type Socket} from 'node:net'
import {createSecureContext, type SecureContext} from 'node:tls'

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

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

/** nginx's plain error pages, as the Deis router (nginx) answers. */
function page(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const title = `${status} ${status === 503 ? 'Service Temporarily Unavailable' : STATUS_CODES[status]}`
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  res.writeHead(status, {'Content-Type': 'text/html', 'Content-Length': String(Buffer.byteLength(body)), ...headers})
  res.end(body)
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

function forwardHeaders(req: IncomingMessage, proto: string, port: number): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {}
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v
  const client = clientAddress(req.socket)
  const prior = req.headers['x-forwarded-for']
  headers['x-forwarded-for'] = prior ? `${String(prior)}, ${client}` : client
  headers['x-forwarded-proto'] = proto
  headers['x-forwarded-port'] = String(port)
  headers['x-real-ip'] = client
  return headers
}

/**
 * The local router: HTTP and HTTPS (SNI) on 127.0.0.1, routing by Host to the app's ready web
 * processes round-robin, with the Deis router's maintenance (503), whitelist (403), HTTPS
 * enforcement (301) and routable rules. WebSocket upgrades are tunnelled.
 */
export async function startRouter(opts: RouterOptions): Promise<RouterHandle> {
  const host = opts.host ?? '127.0.0.1'
  const agent = new Agent({keepAlive: true, maxSockets: 512, maxFreeSockets: 64})
  const turn = new Map<string, number>()
  const contexts = new Map<string, SecureContext>()
  let httpPort = 0
  let httpsPort = 0

  const pick = (app: string, skip?: number): number | undefined => {
    const ports = opts.backends(app).filter(p => p !== skip)
    if (ports.length === 0) return undefined
    const n = (turn.get(app) ?? 0) % ports.length
    turn.set(app, n + 1)
    return ports[n]
  }

  /** The route for a request after the Deis router's checks, or undefined when it has answered. */
  const admit = (req: IncomingMessage, res: ServerResponse | undefined, secure: boolean): Route | undefined => {
    const name = hostName(req.headers.host)
    const route = opts.resolve(name)
    const refuse = (status: number, headers: Record<string, string> = {}) => {
      if (res) page(res, status, headers)
      else req.socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return undefined
    }
    if (!route) return refuse(404)
    if (!allowed(route.whitelist, clientAddress(req.socket))) return refuse(403)
    if (route.httpsEnforced && !secure) {
      const port = httpsPort === 443 ? '' : `:${httpsPort}`
      return refuse(301, {Location: `https://${name}${port}${req.url ?? '/'}`})
    }
    if (route.maintenance) return refuse(503)
    return route
  }

  const proxy = (req: IncomingMessage, res: ServerResponse, secure: boolean) => {
    const route = admit(req, res, secure)
    if (!route) return
    const headers = forwardHeaders(req, secure ? 'https' : 'http', secure ? httpsPort : httpPort)
    const send = (port: number | undefined, retry: boolean) => {
      if (port === undefined) return page(res, 503)
      const upstream = request({host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent}, answer => {
        const out: OutgoingHttpHeaders = {}
        for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out)
        answer.pipe(res)
      })
      upstream.on('error', error => {
        // a process that died since its last readiness check: try another once if nothing was sent
        const refused = (error as NodeJS.ErrnoException).code === 'ECONNREFUSED'
        if (refused && retry && !res.headersSent) return send(pick(route.app, port), false)
        if (!res.headersSent) page(res, 502)
        else res.destroy()
      })
      req.pipe(upstream)
    }
    send(pick(route.app), req.method === 'GET' || req.method === 'HEAD')
  }

  const upgrade = (req: IncomingMessage, socket: Socket, head: Buffer, secure: boolean) => {
    const route = admit(req, undefined, secure)
    if (!route) return
    const port = pick(route.app)
    if (port === undefined) return socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    const headers = forwardHeaders(req, secure ? 'https' : 'http', secure ? httpsPort : httpPort)
    const upstream = connect(port, '127.0.0.1', () => {
      let head0 = `${req.method} ${req.url} HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: ${String(req.headers.upgrade)}\r\n`
      for (const [k, v] of Object.entries(headers)) for (const one of [v].flat()) head0 += `${k}: ${String(one)}\r\n`
      upstream.write(`${head0}\r\n`)
      if (head.length > 0) upstream.write(head)
      upstream.pipe(socket).pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  }

  const plain: Server = createServer((req, res) => proxy(req, res, false))
  plain.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => upgrade(req, socket, head, false))
  const secure: HttpsServer = createHttpsServer({
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
  }, (req, res) => proxy(req, res, true))
  secure.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => upgrade(req, socket, head, true))
  for (const server of [plain, secure]) server.keepAliveTimeout = 65_000
  // TLS handshakes that fail (no certificate for the name) must not crash the controller
  secure.on('tlsClientError', () => {})

  const listen = (server: Server | HttpsServer, port: number) =>
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
      agent.destroy()
      for (const server of [plain, secure]) {
        server.closeAllConnections()
        await new Promise<void>(resolve => server.close(() => resolve()))
      }
    },
  }
}
