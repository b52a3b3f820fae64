import {createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket} from 'node:net'
import {createSecureContext, createServer as createTlsServer, type SecureContext, type Server as TlsServer} from 'node:tls'
import {serveConnection} from './proxy.js'
import type {Route} from './rules.js'

export type {Route} from './rules.js'
export {allowed} from './rules.js'
export {hostName} from './http-head.js'

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

/** Round-robin over the app's ready processes, one turn counter per app. */
function roundRobin(backends: (app: string) => number[]): (app: string, skip?: number) => number | undefined {
  const turn = new Map<string, number>()
  return (app, skip) => {
    const all = backends(app)
    const ports = skip === undefined ? all : all.filter(p => p !== skip)
    if (ports.length === 0) return undefined
    const n = (turn.get(app) ?? 0) % ports.length
    turn.set(app, n + 1)
    return ports[n]
  }
}

/** The TLS server: the certificate is chosen per SNI name, and its secure context built once per certificate. */
function tlsServer(certificate: RouterOptions['certificate'], serve: (socket: Socket) => void): TlsServer {
  const contexts = new Map<string, SecureContext>()
  const server = createTlsServer(
    {
      SNICallback: (servername, done) => {
        const pem = certificate(servername.toLowerCase())
        if (!pem) return done(new Error(`no certificate for ${servername}`))
        const key = pem.cert + pem.key
        let ctx = contexts.get(key)
        if (!ctx) {
          ctx = createSecureContext({cert: pem.cert, key: pem.key})
          contexts.set(key, ctx)
        }
        done(null, ctx)
      },
    },
    serve,
  )
  // TLS handshakes that fail (no certificate for the name) must not crash the controller
  server.on('tlsClientError', () => {})
  return server
}

function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/**
 * The local router: HTTP and HTTPS (SNI) on 127.0.0.1, routing each request by its Host to the
 * app's ready web processes round-robin, with the Deis router's rules (rules.ts); proxy.ts carries
 * the connections, http-head.ts reads the messages.
 */
export async function startRouter(opts: RouterOptions): Promise<RouterHandle> {
  const host = opts.host ?? '127.0.0.1'
  const sockets = new Set<Socket>()
  const pick = roundRobin(opts.backends)
  const ports = {http: 0, https: 0}
  const serve = (socket: Socket, secure: boolean) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    serveConnection(socket, {resolve: opts.resolve, pick, secure, localPort: secure ? ports.https : ports.http, httpsPort: ports.https})
  }
  const plain = createNetServer(socket => serve(socket, false))
  const secure = tlsServer(opts.certificate, socket => serve(socket, true))
  ports.http = await listen(plain, opts.httpPort ?? 8080, host)
  try {
    ports.https = await listen(secure, opts.httpsPort ?? 8443, host)
  } catch (error) {
    plain.close()
    throw error
  }
  return {
    httpPort: ports.http,
    httpsPort: ports.https,
    async close() {
      for (const socket of sockets) socket.destroy()
      for (const server of [plain, secure]) await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}
