import {createServer, ServerResponse, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import type {Duplex} from 'node:stream'
import {HttpError, readJson, tooLarge, writeHtml404, writeReply, type Reply} from './http/reply.js'
import {allowHeader, Router, type RouteContext, type Services} from './http/routes.js'
import {secureDataDir} from './file-modes.js'
import {Store} from './model/db.js'
import type {LogStore} from './model/logs.js'
import {userByToken} from './model/tokens.js'
import type {UserRow} from './model/users.js'
import {LoginThrottle} from './http/throttle.js'
import {controllerOptions, type ControllerOptions} from './options.js'
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
import type {AppRuntime} from './runtime/contract.js'
import {SimulatedRuntime} from './runtime/simulated.js'

export type Controller = Services & {
  url: string
  port: number
  router: Router
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
  const user = userByToken(store, parts[1]!)
  if (!user) throw unauthenticated('Invalid token.')
  if (!user.is_active) throw unauthenticated('User inactive or deleted.')
  return user
}

async function handle(router: Router, services: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const {store} = services
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
  const method = (req.method ?? 'GET').toUpperCase()
  const hit = router.match(url.pathname)
  if (!hit) return writeHtml404(res)
  const {route, params} = hit
  const allow = route.auth === 'none' ? {} : {Allow: allowHeader(route)}
  try {
    // refused before anything else, anonymous or not, so that nobody can make the controller read a huge body
    if (Number(req.headers['content-length'] ?? 0) > services.options.maxBody) throw tooLarge(services.options.maxBody)
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
    const ctx: RouteContext = {...services, req, method, params, query: url.searchParams, user, url, body: () => (parsed ??= readJson(req, services.options.maxBody))}
    const reply: Reply = await handler(ctx)
    // a WebSocket route (routes/logs.ts) has taken the socket over
    if (reply.status === 101) return res.detachSocket(req.socket)
    writeReply(res, {...reply, headers: {...allow, ...unread(req), ...reply.headers}}, method === 'HEAD')
  } catch (error) {
    if (error instanceof HttpError) {
      writeReply(res, {status: error.status, body: error.body, headers: {...allow, ...unread(req), ...error.headers}})
      return
    }
    process.stderr.write(`controller: ${method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}\n`)
    writeReply(res, {status: 500, body: {detail: 'Server Error'}, headers: {...allow, ...unread(req)}})
  }
}

/**
 * A reply sent before the request body was read in full closes the connection: otherwise Node would read
 * (and discard) the whole rest of the body to reach the next request on it.
 */
function unread(req: IncomingMessage): Record<string, string> {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined
  return hasBody && !req.complete ? {Connection: 'close'} : {}
}

/**
 * Starts the local controller's HTTP API on 127.0.0.1 (port 0 picks a free port). It builds the
 * store (with its logs), the runtime (the local one when `runtime` options are given, else the
 * simulated one) and the options once, and hands them to every route.
 */
export async function createController(given: Partial<ControllerOptions> = {}): Promise<Controller> {
  const options = controllerOptions(given)
  const store = new Store({dataDir: options.dataDir, logLines: options.logLines})
  if (options.dataDir) secureDataDir(options.dataDir)
  const logs: LogStore = store.logs
  const router = buildRouter()
  const services: Services = {store, logs, runtime: new SimulatedRuntime(store), options, logins: new LoginThrottle()}
  const server: Server = createServer((req, res) => {
    handle(router, services, req, res).catch(error => {
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
    handle(router, services, req, res).catch(() => socket.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${options.host}:${port}`
  if (options.runtime) services.runtime = await startRuntime(server, store, {api: url, ...options.runtime})
  return {
    ...services,
    get runtime() {
      return services.runtime
    },
    url,
    port,
    router,
    async close() {
      await services.runtime.close()
      server.closeAllConnections()
      for (const socket of upgraded) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
      store.close()
    },
  }
}

/** Loads the local runtime only when asked for; if it cannot start (a port taken), the API stops too. */
async function startRuntime(server: Server, store: Store, opts: NonNullable<ControllerOptions['runtime']>): Promise<AppRuntime> {
  try {
    return await (await import('./runtime/index.js')).startRuntime(store, opts)
  } catch (error) {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
    store.close()
    throw error
  }
}
