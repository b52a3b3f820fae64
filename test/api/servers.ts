import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import {connect, type AddressInfo, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach} from 'vitest'

/** A real server on 127.0.0.1 port 0 that answers with `handler`; close() cuts every open socket. */
export type TestServer = {url: string; port: number; requests: string[]; close: () => Promise<void>}

type Handler = (req: IncomingMessage, res: ServerResponse) => void

async function listen(server: Server, scheme: 'http' | 'https', requests: string[]): Promise<TestServer> {
  const sockets = new Set<Socket>()
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}

/** Starts a plain HTTP server; `requests` records `METHOD /path?query` of every request. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    handler(req, res)
  })
  return listen(server, 'http', requests)
}

/** A self-signed certificate for 127.0.0.1 made with the openssl CLI in a temp dir. */
export function selfSignedCert(): {cert: string; key: string} {
  const dir = mkdtempSync(join(tmpdir(), 'deis-cert-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      {stdio: 'ignore'},
    )
    return {cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8')}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** Starts an HTTPS server with a self-signed certificate. */
export async function startHttpsServer(handler: Handler): Promise<TestServer> {
  const requests: string[] = []
  const server = createHttpsServer(selfSignedCert(), (req, res) => {
    requests.push(`${req.method} ${req.url}`)
    handler(req, res)
  })
  return listen(server as unknown as Server, 'https', requests)
}

/**
 * A forwarding proxy: CONNECT tunnels and absolute-URI requests both work; `requests` records each
 * (`CONNECT host:port` or `GET http://...`).
 */
export async function startProxy(): Promise<TestServer> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    const up = httpRequest(req.url ?? '', {method: req.method, headers: req.headers}, answer => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push(`CONNECT ${req.url}`)
    const [host, port] = (req.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
  })
  return listen(server, 'http', requests)
}

/** Answers like a Deis controller's app list: a DRF page of `ids`, `limit`/`offset` honoured, `next` absolute. */
export function appPages(ids: string[], nextHost: string, headers: Record<string, string> = {}): Handler {
  return (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const limit = Number(u.searchParams.get('limit') ?? 100)
    const offset = Number(u.searchParams.get('offset') ?? 0)
    const results = ids.slice(offset, offset + limit).map(id => ({id, owner: 'alice', uuid: id, structure: {}, created: '', updated: ''}))
    const next = offset + limit < ids.length ? `${nextHost}/v2/apps/?limit=${limit}&offset=${offset + limit}` : null
    res.writeHead(200, {'content-type': 'application/json', ...headers})
    res.end(JSON.stringify({count: ids.length, next, previous: null, results}))
  }
}

/**
 * For a describe block: `serve` starts a server answering with `handler` and a temp HOME whose profile points at it;
 * both go after each test, with whatever else the test pushed onto `cleanup` (last in, first out).
 */
export function useServers(): {
  serve: (handler: Handler, extra?: Record<string, unknown>) => Promise<{server: TestServer; home: string}>
  cleanup: Array<() => Promise<void> | void>
} {
  const cleanup: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f()
  })
  async function serve(handler: Handler, extra: Record<string, unknown> = {}) {
    const server = await startServer(handler)
    const home = homeFor(server.url, extra)
    cleanup.push(
      () => server.close(),
      () => rmSync(home, {recursive: true, force: true}),
    )
    return {server, home}
  }
  return {serve, cleanup}
}

/** A temp HOME whose ~/.deis/client.json points at `controller` with `token`. */
export function homeFor(controller: string, extra: Record<string, unknown> = {}, token = 'secret-token-0123456789'): string {
  const home = mkdtempSync(join(tmpdir(), 'deis-home-'))
  mkdirSync(join(home, '.deis'), {mode: 0o700})
  const profile = {username: 'alice', ssl_verify: true, controller, token, response_limit: 0, ...extra}
  writeFileSync(join(home, '.deis', 'client.json'), JSON.stringify(profile), {mode: 0o600})
  return home
}
