import {ApiError, AuthError, ConnectionError, UsageError} from '../errors.js'
import {apiErrorMessage, explainFailure, isHtml} from './error-body.js'
import {howToCheck, idempotent, MAX_ATTEMPTS, retryDelay, RETRY_STATUSES} from './faults.js'
import type {ListOptions, Page} from './types.js'

/** The controller API version this client speaks; a different major.minor in `DEIS_API_VERSION` warns once. */
export const CLIENT_API_VERSION = '2.3'

export type ClientOptions = {
  controller: string
  token?: () => Promise<string | undefined>
  sslVerify?: boolean
  /** A PEM file of CA certificates trusted for this controller, besides the system's. */
  caBundle?: string | undefined
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

/** The connection was there and went away: worth a second try for a GET, a lost answer for a POST. */
const CUT = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'])

let versionWarned = false

/** Strips the path (the API replaces it), lower-cases scheme and host, adds http:// when no scheme is given. */
export function normalizeController(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`
  let u: URL
  try {
    u = new URL(withScheme)
  } catch {
    throw new UsageError(`${JSON.stringify(raw)} is not a controller URL`, 'give it as https://deis.example.com or http://127.0.0.1:8000')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`${JSON.stringify(raw)} is not an http or https URL`, 'give it as https://deis.example.com or http://127.0.0.1:8000')
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
      const hint = isHtml(reply)
        ? 'a web page answered, not a Deis controller: check the controller URL in your profile and any proxy or captive portal in between'
        : 'check the controller URL in your profile, and that the server there is a Deis controller'
      throw new ApiError(`the controller sent a response that is not JSON (${method} ${path}, status ${reply.status})`, reply.status, reply.text, hint)
    }
  }

  /**
   * Sends one request; maps 401 to AuthError, other >= 400 to ApiError, network failures to
   * ConnectionError. GET and HEAD are tried again after a 502/503/504 or a cut connection (MAX_ATTEMPTS
   * in all, honouring Retry-After); anything else is sent once, and when its answer is lost the error
   * says the change may have been applied and how to look.
   */
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
    const dispatcher = await this.getDispatcher(timeout)
    const sent = {method, url, body: opts.body, timeout}
    const retry = idempotent(method)
    for (let attempt = 1; ; attempt++) {
      this.opts.debug?.(redact(`> ${method} ${url.href} ${body ?? ''}\n> authorization: ${token ? `token ${token}` : '(none)'}`))
      const outcome = await this.exchange(request, dispatcher, {method, url, headers, body, timeout})
      const last = !retry || attempt >= MAX_ATTEMPTS
      if ('failure' in outcome) {
        if (!last && outcome.failure.kind === 'cut') {
          await this.pause(attempt, undefined, outcome.failure.error)
          continue
        }
        throw this.failureError(outcome.failure, sent, attempt)
      }
      const reply = outcome.reply
      this.opts.debug?.(redact(`< ${reply.status} ${reply.text.slice(0, 2000)}`))
      this.checkVersion(reply.headers)
      if (!last && RETRY_STATUSES.has(reply.status)) {
        await this.pause(attempt, reply.headers['retry-after'], `${reply.status}`)
        continue
      }
      if (reply.status === 401) throw new AuthError(apiErrorMessage(reply), `log in again with \`deis login ${this.controller}\``)
      if (reply.status >= 400) {
        const {message, hint} = explainFailure(reply, {method, path: url.pathname, controller: this.controller})
        const tries = attempt > 1 ? ` (${attempt} tries)` : ''
        throw new ApiError(`${message}${tries}`, reply.status, reply.text, hint)
      }
      return reply
    }
  }

  private async pause(attempt: number, retryAfter: string | undefined, why: unknown): Promise<void> {
    const ms = retryDelay(attempt, retryAfter)
    const reason = typeof why === 'string' ? why : ((why as {code?: string}).code ?? 'connection cut')
    this.opts.debug?.(`< ${reason}: trying again in ${ms} ms (try ${attempt + 1} of ${MAX_ATTEMPTS})`)
    await new Promise(resolve => setTimeout(resolve, ms))
  }

  /**
   * One request and its whole answer within `timeout` (connecting, headers and body together, so a
   * server that trickles bytes cannot hold the CLI forever), the body cut at MAX_BODY_BYTES.
   */
  private async exchange(
    request: typeof import('undici').request,
    dispatcher: import('undici').Dispatcher,
    req: {method: string; url: URL; headers: Record<string, string>; body: string | undefined; timeout: number},
  ): Promise<{reply: Reply} | {failure: Failure}> {
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(TIMED_OUT), req.timeout)
    let stage: Failure['stage'] = 'connect'
    try {
      const res = await request(req.url, {
        method: req.method as 'GET',
        headers: req.headers,
        body: req.body ?? null,
        dispatcher,
        signal: deadline.signal,
        headersTimeout: req.timeout,
        bodyTimeout: req.timeout,
      })
      stage = 'body'
      const flat: Record<string, string> = {}
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v
      const text = await readCapped(res.body, Number(flat['content-length'] ?? 0))
      return {reply: {status: res.statusCode, headers: flat, text}}
    } catch (error) {
      if (error instanceof TooLarge) return {failure: {kind: 'too-large', stage, error}}
      if (deadline.signal.aborted || TIMEOUTS.has(errorCode(error))) return {failure: {kind: 'timeout', stage, error}}
      const code = errorCode(error)
      const cut = stage === 'body' || CUT.has(code)
      return {failure: {kind: cut ? 'cut' : 'unreachable', stage, error}}
    } finally {
      clearTimeout(timer)
    }
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
    const ca = this.opts.caBundle === undefined ? {} : {ca: await trustedCertificates(this.opts.caBundle, this.opts.env)}
    const connect = {rejectUnauthorized: this.opts.sslVerify !== false, timeout, ...ca}
    const env = this.opts.env
    const proxied = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy
    this.dispatcher = proxied
      ? new EnvHttpProxyAgent({
          connect,
          maxHeaderSize: MAX_HEADER_BYTES,
          httpProxy: env.HTTP_PROXY ?? env.http_proxy,
          httpsProxy: env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy,
          noProxy: env.NO_PROXY ?? env.no_proxy,
          requestTls: connect,
        } as ConstructorParameters<typeof EnvHttpProxyAgent>[0])
      : new Agent({connect, maxHeaderSize: MAX_HEADER_BYTES})
    return this.dispatcher
  }

  /** The proxy this controller is reached through (as EnvHttpProxyAgent picks it), so its failures can be named. */
  private get proxy(): {url: URL; variable: string} | undefined {
    const env = this.opts.env
    const https = this.controller.startsWith('https:')
    const names = https ? ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] : ['HTTP_PROXY', 'http_proxy']
    const variable = names.find(n => env[n])
    if (!variable || bypassesProxy(new URL(this.controller), env.NO_PROXY ?? env.no_proxy ?? '')) return undefined
    try {
      return {url: new URL(env[variable]!), variable}
    } catch {
      return undefined
    }
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

  /** The error for a request that got no usable answer; POST/PUT/PATCH/DELETE say the change may have landed. */
  private failureError(f: Failure, sent: {method: string; url: URL; body: unknown; timeout: number}, attempt: number): Error {
    const where = this.controller
    const what = `${sent.method} ${sent.url.pathname}`
    const tries = attempt > 1 ? ` (${attempt} tries)` : ''
    if (f.kind === 'too-large') {
      return new ConnectionError(
        `the answer to ${what} from ${where} is larger than ${MAX_BODY_BYTES / MIB} MiB; stopped reading it`,
        'no Deis controller answers that much: check the controller URL in your profile and any proxy in between',
      )
    }
    const proxy = this.proxyFailure(f.error)
    if (proxy) return proxy
    if (f.kind === 'unreachable' || (f.kind === 'timeout' && errorCode(f.error) === 'UND_ERR_CONNECT_TIMEOUT'))
      return this.connectionError(f.error, sent.url, sent.timeout, tries)
    if (!idempotent(sent.method)) {
      const lost =
        f.kind === 'timeout'
          ? `no answer from ${where} to ${what} within ${sent.timeout / 1000}s`
          : `the connection to ${where} was cut before the answer to ${what} was complete`
      const longer = f.kind === 'timeout' ? '; set DEIS_TIMEOUT=<seconds> to wait longer' : ''
      return new ConnectionError(
        `${lost}: the change may or may not have been applied`,
        `check with \`${howToCheck(sent.url.pathname, sent.body)}\` before trying again${longer}`,
      )
    }
    if (f.kind === 'timeout') {
      return new ConnectionError(`no answer from ${where} within ${sent.timeout / 1000}s (${sent.url.pathname})`, 'set DEIS_TIMEOUT=<seconds> to wait longer')
    }
    if (f.stage === 'connect') return this.connectionError(f.error, sent.url, sent.timeout, tries)
    return new ConnectionError(
      `the connection to ${where} closed before the answer to ${what} was complete${tries}`,
      'check the controller and any proxy in between (HTTPS_PROXY, HTTP_PROXY)',
    )
  }

  /** A failure of the proxy itself (refused, unknown host, or it could not open the tunnel), named as the proxy. */
  private proxyFailure(error: unknown): Error | undefined {
    const proxy = this.proxy
    if (!proxy) return undefined
    const e = error as {
      code?: string
      address?: string
      port?: number
      hostname?: string
      message?: string
      cause?: {code?: string; address?: string; port?: number; hostname?: string}
    }
    const detail = {...e.cause, ...e}
    const fix = `check ${proxy.variable}, or add the controller's host to NO_PROXY`
    const tunnel = /^Proxy response \((\d+)\)/.exec(e.message ?? '')
    if (tunnel) return new ConnectionError(`the proxy ${proxy.url.origin} (${proxy.variable}) answered ${tunnel[1]} instead of connecting to ${this.controller}`, fix)
    const port = Number(proxy.url.port || (proxy.url.protocol === 'https:' ? 443 : 80))
    const host = proxy.url.hostname.replace(/^\[|\]$/g, '')
    const atProxy = detail.port === port || detail.hostname === host
    if (!atProxy) return undefined
    const code = detail.code ?? ''
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'unknown host' : code || 'failed'
    return new ConnectionError(`cannot reach the proxy ${proxy.url.origin} (${proxy.variable}): ${why}`, fix)
  }

  private connectionError(error: unknown, url: URL, timeout: number, tries = ''): Error {
    const e = error as {code?: string; cause?: {code?: string; message?: string}; message?: string}
    const code = errorCode(error)
    const where = `${this.controller}`
    if (TIMEOUTS.has(code)) {
      return new ConnectionError(`no answer from ${where} within ${timeout / 1000}s (${url.pathname})`, 'set DEIS_TIMEOUT=<seconds> to wait longer')
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConnectionError(`cannot resolve the host of ${where}`, 'check the controller URL in your profile')
    if (CUT.has(code) || code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
      const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'no route to the host' : 'connection closed'
      return new ConnectionError(`cannot reach ${where}: ${why}${tries}`, 'is the controller running? `deis local:start` starts a local one')
    }
    if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
      return new ConnectionError(
        `TLS error talking to ${where}: ${e.cause?.message ?? e.message ?? code}`,
        'log in with `--ca-bundle <file>` holding the CA that signed its certificate (or set NODE_EXTRA_CA_CERTS); `--ssl-verify false` only if you trust this controller',
      )
    }
    return new ConnectionError(
      `request to ${where} failed: ${e.cause?.message ?? e.message ?? String(error)}`,
      'check the controller URL in your profile and any proxy in between',
    )
  }
}

type Failure = {
  /** too-large: body over the cap; timeout: the deadline passed; cut: the connection closed under us; unreachable: never connected. */
  kind: 'too-large' | 'timeout' | 'cut' | 'unreachable'
  stage: 'connect' | 'body'
  error: unknown
}

const MIB = 1024 * 1024

/** The largest answer read: far above any controller list page, far below what would strain memory. */
export const MAX_BODY_BYTES = 64 * MIB
/**
 * The largest header block read: Node's own default, named here because undici would otherwise load node:http only
 * to read that default (the bundle makes the read lazy: bin/bundle.js).
 */
const MAX_HEADER_BYTES = 16 * 1024

class TooLarge extends Error {}

const TIMED_OUT = new Error('deadline passed')

function errorCode(error: unknown): string {
  const e = error as {code?: string; cause?: {code?: string}}
  return e?.code ?? e?.cause?.code ?? ''
}

/** Reads a body as UTF-8, refusing (and dropping the connection) past MAX_BODY_BYTES or a larger Content-Length. */
async function readCapped(body: import('undici').Dispatcher.ResponseData['body'], announced: number): Promise<string> {
  if (announced > MAX_BODY_BYTES) {
    body.destroy()
    throw new TooLarge()
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) {
      body.destroy()
      throw new TooLarge()
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** NO_PROXY as undici reads it: `*`, or host names (a leading `.` or `*.` for subdomains), each optionally with `:port`. */
function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some(entry => {
      if (entry === '*') return true
      const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase())!
      const name = m[1]!.replace(/^\*?\./, '').replace(/^\[|\]$/g, '')
      if (m[2] && m[2] !== port) return false
      return host === name || host.endsWith(`.${name}`)
    })
}

/**
 * The certificates to trust when a CA bundle is given: Node's own roots, NODE_EXTRA_CA_CERTS (which a
 * `ca` option would otherwise replace), and the bundle, which must hold at least one PEM certificate.
 */
async function trustedCertificates(bundle: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const {readFileSync} = await import('node:fs')
  const {rootCertificates} = await import('node:tls')
  const pem = readCaBundle(bundle, readFileSync)
  const extra: string[] = []
  if (env.NODE_EXTRA_CA_CERTS) {
    try {
      extra.push(readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'))
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so do we, by ignoring it here
    }
  }
  return [...rootCertificates, ...extra, pem]
}

/** Reads a CA bundle file, or a one-line error naming the file and what is wrong with it. */
export function readCaBundle(path: string, read: (path: string, encoding: 'utf8') => string): string {
  let text: string
  try {
    text = read(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code)
    throw new UsageError(`cannot read the CA bundle ${path}: ${why}`, 'pass --ca-bundle <file> to `deis login` with a PEM file of CA certificates')
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)) {
    throw new UsageError(
      `the CA bundle ${path} is not PEM (no -----BEGIN CERTIFICATE----- block)`,
      'pass a PEM file of CA certificates, e.g. `openssl x509 -in ca.der -inform der -out ca.pem`',
    )
  }
  return text
}

/** True when two `major.minor` versions are numerically equal ("2.10" differs from "2.1"). */
export function sameVersion(a: string, b: string): boolean {
  const pa = a.trim().split('.').map(Number)
  const pb = b.trim().split('.').map(Number)
  if (pa.length < 2 || pb.length < 2 || pa.some(Number.isNaN) || pb.some(Number.isNaN)) return false
  return pa[0] === pb[0] && pa[1] === pb[1]
}
