import {ApiError, AuthError, ConnectionError} from '../errors.js'
import {apiErrorMessage} from './error-body.js'
import type {ListOptions, Page} from './types.js'

/** The controller API version this client speaks; a different major.minor in `DEIS_API_VERSION` warns once. */
export const CLIENT_API_VERSION = '2.3'

export type ClientOptions = {
  controller: string
  token?: () => Promise<string | undefined>
  sslVerify?: boolean
  timeoutMs?: number
  userAgent: string
  env: NodeJS.ProcessEnv
  warn: (line: string) => void
  debug?: ((line: string) => void) | undefined
}

export type RequestOptions = {
  body?: unknown
  query?: Record<string, string | number | undefined>
  auth?: boolean
  timeoutMs?: number
  accept?: string
}

export type Reply = {status: number; headers: Record<string, string>; text: string}

const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'EHOSTUNREACH', 'ENETUNREACH'])
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'])

let versionWarned = false

/** Strips the path (the API replaces it), lower-cases scheme and host, adds http:// when no scheme is given. */
export function normalizeController(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`
  const u = new URL(withScheme)
  return `${u.protocol}//${u.host}`.toLowerCase()
}

function redact(text: string): string {
  return text.replace(/("(?:token|password|new_password|key)"\s*:\s*)"[^"]*"/g, '$1"***"').replace(/(authorization:\s*token\s+)\S+/gi, '$1***')
}

/** Speaks HTTP to one controller; the only module that loads undici. */
export class Client {
  readonly controller: string
  private dispatcher: import('undici').Dispatcher | undefined
  private readonly opts: ClientOptions

  constructor(opts: ClientOptions) {
    this.opts = opts
    this.controller = normalizeController(opts.controller)
  }

  async get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.json<T>('GET', path, opts)
  }

  async post<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.json<T>('POST', path, {...opts, body})
  }

  async delete<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.json<T>('DELETE', path, {...opts, body})
  }

  /** Reads a paged list: the first `limit` items, or with `all` every page by following `next`. */
  async list<T>(path: string, opts: ListOptions = {}): Promise<Page<T>> {
    const first = await this.get<Page<T>>(path, {query: {limit: opts.limit}})
    if (!opts.all) return first
    const results = [...first.results]
    let next = first.next
    while (next) {
      const u = new URL(next)
      const page = await this.get<Page<T>>(`${u.pathname}${u.search}`)
      results.push(...page.results)
      next = page.next
    }
    return {count: first.count, next: null, previous: null, results}
  }

  private async json<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
    const reply = await this.request(method, path, opts)
    if (reply.text === '') return undefined as T
    try {
      return JSON.parse(reply.text) as T
    } catch {
      throw new ApiError(`the controller sent a response that is not JSON (${method} ${path}, status ${reply.status})`, reply.status, reply.text)
    }
  }

  /** Sends one request; maps 401 to AuthError, other >= 400 to ApiError, network failures to ConnectionError. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
    const {request} = await import('undici')
    const url = new URL(path, this.controller)
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
    const headers: Record<string, string> = {
      accept: opts.accept ?? 'application/json',
      'content-type': 'application/json',
      'user-agent': this.opts.userAgent,
    }
    const token = opts.auth === false ? undefined : await this.opts.token?.()
    if (token) headers.authorization = `token ${token}`
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body)
    const timeout = opts.timeoutMs ?? this.opts.timeoutMs ?? 30_000
    this.opts.debug?.(redact(`> ${method} ${url.href} ${body ?? ''}\n> authorization: ${token ? `token ${token}` : '(none)'}`))
    let res: import('undici').Dispatcher.ResponseData
    try {
      res = await request(url, {
        method: method as 'GET',
        headers,
        body: body ?? null,
        dispatcher: await this.getDispatcher(timeout),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      })
    } catch (error) {
      throw this.connectionError(error, url, timeout)
    }
    let text: string
    try {
      text = await res.body.text()
    } catch (error) {
      throw this.truncatedError(error, method, url, timeout)
    }
    const flat: Record<string, string> = {}
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v
    const reply: Reply = {status: res.statusCode, headers: flat, text}
    this.opts.debug?.(redact(`< ${reply.status} ${reply.text.slice(0, 2000)}`))
    this.checkVersion(reply.headers)
    if (reply.status === 401) throw new AuthError(apiErrorMessage(reply), `log in again with \`deis login ${this.controller}\``)
    if (reply.status >= 400) throw new ApiError(apiErrorMessage(reply), reply.status, reply.text)
    return reply
  }

  /**
   * Opens a WebSocket to `path` (ws:// or wss:// after the controller's scheme) with the token, user
   * agent and Origin the Drycc controllers check; a refused upgrade shows only as an `error` event.
   */
  async websocket(path: string): Promise<import('undici').WebSocket> {
    const {WebSocket} = await import('undici')
    const url = new URL(path, this.controller)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    const headers: Record<string, string> = {'user-agent': this.opts.userAgent, origin: this.controller}
    const token = await this.opts.token?.()
    if (token) headers.authorization = `token ${token}`
    this.opts.debug?.(redact(`> WEBSOCKET ${url.href}\n> authorization: ${token ? `token ${token}` : '(none)'}`))
    return new WebSocket(url, {headers, dispatcher: await this.getDispatcher(this.opts.timeoutMs ?? 30_000)})
  }

  /** Releases pooled sockets so the process can exit at once. */
  async close(): Promise<void> {
    const d = this.dispatcher
    this.dispatcher = undefined
    await d?.close()
  }

  private async getDispatcher(timeout: number): Promise<import('undici').Dispatcher> {
    if (this.dispatcher) return this.dispatcher
    const {Agent, EnvHttpProxyAgent} = await import('undici')
    const connect = {rejectUnauthorized: this.opts.sslVerify !== false, timeout}
    const env = this.opts.env
    const proxied = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy
    this.dispatcher = proxied
      ? new EnvHttpProxyAgent({
          connect,
          httpProxy: env.HTTP_PROXY ?? env.http_proxy,
          httpsProxy: env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy,
          noProxy: env.NO_PROXY ?? env.no_proxy,
          requestTls: connect,
        } as ConstructorParameters<typeof EnvHttpProxyAgent>[0])
      : new Agent({connect})
    return this.dispatcher
  }

  private checkVersion(headers: Record<string, string>): void {
    const server = headers.deis_api_version
    if (server === undefined || versionWarned || sameVersion(server, CLIENT_API_VERSION)) return
    versionWarned = true
    this.opts.warn(
      [
        '!    WARNING: Client and server API versions do not match. Please consider upgrading.',
        `!    Client version: ${CLIENT_API_VERSION}`,
        `!    Server version: ${server}`,
      ].join('\n'),
    )
  }

  /** The headers arrived but the body did not: a stall (timeout) or a connection cut mid-answer. */
  private truncatedError(error: unknown, method: string, url: URL, timeout: number): Error {
    const code = (error as {code?: string}).code ?? ''
    if (TIMEOUTS.has(code)) return this.connectionError(error, url, timeout)
    return new ConnectionError(
      `the connection to ${this.controller} closed before the answer to ${method} ${url.pathname} was complete`,
      'try again; if it keeps happening, check the controller and any proxy in between',
    )
  }

  private connectionError(error: unknown, url: URL, timeout: number): Error {
    const e = error as {code?: string; cause?: {code?: string; message?: string}; message?: string}
    const code = e.code ?? e.cause?.code ?? ''
    const where = `${this.controller}`
    if (TIMEOUTS.has(code)) {
      return new ConnectionError(`no answer from ${where} within ${timeout / 1000}s (${url.pathname})`, 'set DEIS_TIMEOUT=<seconds> to wait longer')
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConnectionError(`cannot resolve the host of ${where}`, 'check the controller URL in your profile')
    if (REFUSED.has(code) || code === 'UND_ERR_CLOSED') {
      const why = code === 'ECONNREFUSED' ? 'connection refused' : 'connection closed'
      return new ConnectionError(`cannot reach ${where}: ${why}`, 'is the controller running? `deis local:start` starts a local one')
    }
    if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
      return new ConnectionError(
        `TLS error talking to ${where}: ${e.cause?.message ?? e.message ?? code}`,
        'set ssl_verify to false in your profile only if you trust this controller',
      )
    }
    return new ConnectionError(`request to ${where} failed: ${e.cause?.message ?? e.message ?? String(error)}`)
  }
}

/** True when two `major.minor` versions are numerically equal ("2.10" differs from "2.1"). */
export function sameVersion(a: string, b: string): boolean {
  const pa = a.trim().split('.').map(Number)
  const pb = b.trim().split('.').map(Number)
  if (pa.length < 2 || pb.length < 2 || pa.some(Number.isNaN) || pb.some(Number.isNaN)) return false
  return pa[0] === pb[0] && pa[1] === pb[1]
}
