import {createServer, ServerResponse, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import type {Duplex} from 'node:stream'
import {HttpError, readJson, writeHtml404, writeReply, type Reply} from './http.js'
import {secureDataDir} from './file-modes.js'
import {configureLogs} from './logs.js'
import {allowHeader, Router, type RouteContext} from './router.js'
import {appRoutes} from './routes/apps.js'
import {buildRoutes} from './routes/builds.js'
import {configRoutes} from './routes/config.js'
import {releaseRoutes} from './routes/releases.js'
import {certRoutes} from './routes/certs.js'
import {domainRoutes} from './routes/domains.js'
import {podRoutes} from './routes/pods.js'
import {settingsRoutes} from './routes/settings.js'
import {tlsRoutes} from './routes/tls.js'
import {authRoutes} from './routes/auth.js'
import {healthRoutes} from './routes/health.js'
import {keyRoutes} from './routes/keys.js'
import {logRoutes} from './routes/logs.js'
import {permRoutes} from './routes/perms.js'
import {serviceRoutes} from './routes/services.js'
import type {Runtime, RuntimeOptions} from './runtime/index.js'
import {Store, type UserRow} from './store.js'

export type ControllerOptions = {
  port?: number
  host?: string
  /** Where SQLite lives; in memory when absent (tests). */
  dataDir?: string | undefined
  /** Log lines kept per app (default `DEIS_LOG_LINES`, else 1000). */
  logLines?: number | undefined
  /** Runs apps locally (builder, scheduler, router); off unless given, so API tests spawn nothing. */
  runtime?: RuntimeOptions | undefined
}

export type Controller = {
  url: string
  port: number
  store: Store
  router: Router
  runtime?: Runtime | undefined
  close: () => Promise<void>
}

/** Every route of the local controller; each resource module registers its own. */
export function buildRouter(): Router {
  const router = new Router()
  healthRoutes(router)
  authRoutes(router)
  appRoutes(router)
  for (const add of [releaseRoutes, configRoutes, buildRoutes]) add(router)
  for (const add of [podRoutes, domainRoutes, settingsRoutes, tlsRoutes, certRoutes]) add(router)
  permRoutes(router)
  keyRoutes(router)
  logRoutes(router)
  serviceRoutes(router)
  return router
}

const unauthenticated = (message: string) => new HttpError(401, {detail: message}, {'WWW-Authenticate': 'Token'})

/** DRF's TokenAuthentication: undefined for no credentials, 401 for bad ones. */
function authenticate(req: IncomingMessage, store: Store): UserRow | undefined {
  const header = req.headers.authorization
  if (!header) return undefined
  const parts = header.trim().split(/\s+/)
  if (parts[0]?.toLowerCase() !== 'token') return undefined
  if (parts.length === 1) throw unauthenticated('Invalid token header. No credentials provided.')
  if (parts.length > 2) throw unauthenticated('Invalid token header. Token string should not contain spaces.')
  const user = store.userByToken(parts[1]!)
  if (!user) throw unauthenticated('Invalid token.')
  if (!user.is_active) throw unauthenticated('User inactive or deleted.')
  return user
}

async function handle(router: Router, store: Store, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
  const method = (req.method ?? 'GET').toUpperCase()
  const hit = router.match(url.pathname)
  if (!hit) return writeHtml404(res)
  const {route, params} = hit
  const allow = route.auth === 'none' ? {} : {Allow: allowHeader(route)}
  try {
    let user: UserRow | undefined
    if (route.auth === 'anon') {
      try {
        user = authenticate(req, store)
      } catch {
        user = undefined
      }
    } else if (route.auth !== 'none') {
      user = authenticate(req, store)
      if (route.auth === 'user' && !user) throw unauthenticated('Authentication credentials were not provided.')
    }
    const handler = route.methods[method] ?? (method === 'HEAD' ? route.methods.GET : undefined)
    if (!handler) {
      if (route.auth === 'none') return writeReply(res, {status: 405, text: '', type: 'text/html; charset=utf-8'})
      throw new HttpError(405, {detail: `Method "${method}" not allowed.`})
    }
    let parsed: Promise<unknown> | undefined
    const ctx: RouteContext = {req, method, params, query: url.searchParams, user, store, url, body: () => (parsed ??= readJson(req))}
    const reply: Reply = await handler(ctx)
    // a WebSocket route (routes/logs.ts) has taken the socket over
    if (reply.status === 101) return res.detachSocket(req.socket)
    writeReply(res, {...reply, headers: {...allow, ...reply.headers}}, method === 'HEAD')
  } catch (error) {
    if (error instanceof HttpError) {
      writeReply(res, {status: error.status, body: error.body, headers: {...allow, ...error.headers}})
      return
    }
    process.stderr.write(`controller: ${method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}\n`)
    writeReply(res, {status: 500, body: {detail: 'Server Error'}, headers: allow})
  }
}

/** Starts the local controller's HTTP API on 127.0.0.1 (port 0 picks a free port). */
export async function createController(opts: ControllerOptions = {}): Promise<Controller> {
  const store = new Store(opts.dataDir)
  if (opts.dataDir) secureDataDir(opts.dataDir)
  configureLogs(store, {retain: opts.logLines})
  const router = buildRouter()
  const server: Server = createServer((req, res) => {
    handle(router, store, req, res).catch(error => {
      res.destroy(error as Error)
    })
  })
  server.keepAliveTimeout = 5000
  // upgrade requests go through the same routes; a route that does not upgrade answers and the socket ends
  const upgraded = new Set<Duplex>()
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket)
    socket.once('close', () => upgraded.delete(socket))
    if (head.length > 0) socket.unshift(head)
    const res = new ServerResponse(req)
    res.assignSocket(socket as Socket)
    res.once('finish', () => socket.end())
    handle(router, store, req, res).catch(() => socket.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const host = opts.host ?? '127.0.0.1'
  const runtime = opts.runtime ? await startRuntime(server, store, {api: `http://${host}:${port}`, ...opts.runtime}) : undefined
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    router,
    runtime,
    async close() {
      await runtime?.close()
      server.closeAllConnections()
      for (const socket of upgraded) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
      store.close()
    },
  }
}

/** Loads the runtime only when asked for; if it cannot start (a port taken), the API stops too. */
async function startRuntime(server: Server, store: Store, opts: RuntimeOptions): Promise<Runtime> {
  try {
    return await (await import('./runtime/index.js')).startRuntime(store, opts)
  } catch (error) {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
    store.close()
    throw error
  }
}
