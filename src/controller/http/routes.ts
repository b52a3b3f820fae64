import type {IncomingMessage} from 'node:http'
import type {Store} from '../model/db.js'
import type {LogStore} from '../model/logs.js'
import type {UserRow} from '../model/users.js'
import type {ControllerOptions} from '../options.js'
import type {AppRuntime} from '../runtime/contract.js'
import type {Reply} from './reply.js'
import type {LoginThrottle} from './throttle.js'

/** What every route is handed: built once by createController. */
export type Services = {store: Store; logs: LogStore; runtime: AppRuntime; options: ControllerOptions; logins: LoginThrottle}

/** What a route handler gets: the services, the matched parameters, the caller, and the parsed body. */
export type RouteContext = Services & {
  req: IncomingMessage
  method: string
  params: Record<string, string>
  query: URLSearchParams
  /** The authenticated caller, or undefined when the request carried no credentials. */
  user: UserRow | undefined
  /** The parsed JSON body (`{}` when empty). */
  body: () => Promise<unknown>
  /** Absolute URL of this request, for DRF's `next`/`previous` links. */
  url: URL
}

export type Handler = (ctx: RouteContext) => Reply | Promise<Reply>

/** How a route authenticates: `user` needs a token, `anon` ignores a bad one (register), `none` never looks. */
export type AuthMode = 'user' | 'anon' | 'optional' | 'none'

export type Route = {
  pattern: RegExp
  keys: string[]
  auth: AuthMode
  methods: Partial<Record<string, Handler>>
}

/**
 * Routes with Django's path rules: `{name}` segments with their own patterns, and an optional or
 * required trailing slash written as `/?` or `/` at the end of the path.
 */
export class Router {
  readonly routes: Route[] = []

  /** Adds a route; `path` like `/v2/apps/{app:[a-z0-9-]+}/?`. */
  add(path: string, auth: AuthMode, methods: Partial<Record<string, Handler>>): this {
    const keys: string[] = []
    const source = path.replace(/\{(\w+)(?::((?:[^{}]|\{[^{}]*\})+))?\}/g, (_m, key: string, re?: string) => {
      keys.push(key)
      return `(${re ?? '[^/]+'})`
    })
    this.routes.push({pattern: new RegExp(`^${source}$`, 'u'), keys, auth, methods})
    return this
  }

  match(path: string): {route: Route; params: Record<string, string>} | undefined {
    for (const route of this.routes) {
      const m = route.pattern.exec(path)
      if (!m) continue
      const params: Record<string, string> = {}
      route.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1] ?? '')
      })
      return {route, params}
    }
    return undefined
  }
}

/** The `Allow` header DRF sends: the route's methods plus HEAD (with GET) and OPTIONS. */
export function allowHeader(route: Route): string {
  const order = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
  const methods = order.filter(m => route.methods[m])
  if (route.methods.GET) methods.push('HEAD')
  methods.push('OPTIONS')
  return methods.join(', ')
}
