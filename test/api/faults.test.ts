import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer as createHttpsServer} from 'node:https'
import {createServer as createNetServer, type AddressInfo, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runDeis} from '../helpers/run.js'
import {appPages, homeFor, selfSignedCert, useServers} from './servers.js'

/** The `Error:` line, after any `Doing something... ` progress on the same line. */
const errorLine = (stderr: string) => stderr.slice(stderr.lastIndexOf('Error: ')).trimEnd()

const CHECK = 'if it persists, check the controller (`kubectl get pods -n deis` on a cluster, `deis local:status` for the local one)'

describe('a CLI that survives misbehaving servers', () => {
  const {serve, cleanup} = useServers()

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'deis-faults-'))
    cleanup.push(() => rmSync(dir, {recursive: true, force: true}))
    return dir
  }

  it('stops reading an endless body at the cap with one clear line', async () => {
    let written = 0
    const {server, home} = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'application/json'})
      const chunk = Buffer.alloc(1024 * 1024, 'x')
      const pump = () => {
        while (!res.destroyed) {
          written += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
      }
      res.write('{"count": 1, "results": ["')
      pump()
    })
    const r = await runDeis(home, ['apps:list'], {timeoutMs: 60_000})
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        `Error: the answer to GET /v2/apps/ from ${server.url} is larger than 64 MiB; stopped reading it; ` +
        'no Deis controller answers that much: check the controller URL in your profile and any proxy in between\n',
    })
    expect(written).toBeGreaterThan(64 * 1024 * 1024 - 4 * 1024 * 1024)
    expect(server.requests).toEqual(['GET /v2/apps/?limit=100'])
  })

  it('refuses an announced Content-Length over the cap without reading the body', async () => {
    const {server, home} = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'application/json', 'content-length': String(65 * 1024 * 1024)})
      res.write('{')
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r.stderr).toBe(
      `Error: the answer to GET /v2/apps/ from ${server.url} is larger than 64 MiB; stopped reading it; ` +
        'no Deis controller answers that much: check the controller URL in your profile and any proxy in between\n',
    )
    expect(r.exitCode).toBe(1)
  })

  it('bounds the whole answer by DEIS_TIMEOUT, not only the idle time between bytes', async () => {
    const {server, home} = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'application/json'})
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 100)
      res.on('close', () => clearInterval(timer))
    })
    const r = await runDeis(home, ['apps:list'], {env: {DEIS_TIMEOUT: '1'}})
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: no answer from ${server.url} within 1s (/v2/apps/); set DEIS_TIMEOUT=<seconds> to wait longer\n`,
    })
  })

  it('retries a GET after a 503 (honouring Retry-After) and succeeds', async () => {
    let n = 0
    const pages = appPages(['after-retry'], 'http://x')
    const {server, home} = await serve((req, res) => {
      if (n++ === 0) {
        res.writeHead(503, {'content-type': 'text/html', 'retry-after': '1'})
        res.end('<html><body>Service Unavailable</body></html>')
        return
      }
      pages(req, res)
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\nafter-retry\n', stderr: ''})
    expect(server.requests).toEqual(['GET /v2/apps/?limit=100', 'GET /v2/apps/?limit=100'])
  })

  it('never retries a POST after a 503, and explains the 503', async () => {
    let n = 0
    const {server, home} = await serve((req, res) => {
      if (n++ === 0) {
        res.writeHead(503, {'content-type': 'text/html'})
        res.end('<html><body>Service Unavailable</body></html>')
        return
      }
      res.writeHead(201, {'content-type': 'application/json'})
      res.end(JSON.stringify({id: 'twice', owner: 'alice', uuid: 'u', structure: {}, created: '', updated: ''}))
    })
    const r = await runDeis(home, ['apps:create', 'once', '--no-remote'])
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe('')
    expect(errorLine(r.stderr)).toBe(
      `Error: ${server.url} answered 503 Service Unavailable: the controller is not available right now (starting, overloaded, or its proxy has nothing to send the request to); try again in a minute; ${CHECK}`,
    )
    expect(server.requests).toEqual(['POST /v2/apps/'])
  })

  it('retries a GET whose connection is reset before any answer', async () => {
    let n = 0
    const pages = appPages(['survivor'], 'http://x')
    const {server, home} = await serve((req, res) => {
      if (n++ === 0) {
        req.socket.resetAndDestroy()
        return
      }
      pages(req, res)
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\nsurvivor\n', stderr: ''})
    expect(server.requests).toEqual(['GET /v2/apps/?limit=100', 'GET /v2/apps/?limit=100'])
  })

  it('a POST reset mid-request says the change may have been applied and how to check, without retrying', async () => {
    const {server, home} = await serve(req => {
      req.resume()
      req.on('end', () => req.socket.resetAndDestroy())
    })
    const r = await runDeis(home, ['config:set', 'K=V', '-a', 'example-app'])
    expect(r.exitCode).toBe(1)
    expect(errorLine(r.stderr)).toBe(
      `Error: the connection to ${server.url} was cut before the answer to POST /v2/apps/example-app/config/ was complete: ` +
        'the change may or may not have been applied; check with `deis config:list -a example-app` before trying again',
    )
    expect(server.requests).toEqual(['POST /v2/apps/example-app/config/'])
  })

  it('a POST that times out says the change may have been applied, how to check and how to wait longer', async () => {
    const {server, home} = await serve(() => {})
    const r = await runDeis(home, ['apps:create', 'slow', '--no-remote'], {env: {DEIS_TIMEOUT: '1'}})
    expect(r.exitCode).toBe(1)
    expect(errorLine(r.stderr)).toBe(
      `Error: no answer from ${server.url} to POST /v2/apps/ within 1s: the change may or may not have been applied; ` +
        'check with `deis apps:list` before trying again; set DEIS_TIMEOUT=<seconds> to wait longer',
    )
    expect(server.requests).toEqual(['POST /v2/apps/'])
  })

  it('an HTML 404 says this URL is not a Deis controller', async () => {
    const {server, home} = await serve((_req, res) => {
      res.writeHead(404, {'content-type': 'text/html; charset=utf-8'})
      res.end('<!doctype html><html><body><h1>Not Found</h1></body></html>')
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        `Error: ${server.url} answered GET /v2/apps/ with an HTML 404 page: this URL is not a Deis controller; ` +
        'check the controller URL in your profile, or log in again with `deis login <controller-url>`\n',
    })
  })

  it('a JSON 500 says the controller failed, in its own words, and what to do; it is not retried', async () => {
    const {server, home} = await serve((_req, res) => {
      res.writeHead(500, {'content-type': 'application/json', DEIS_API_VERSION: '2.3'})
      res.end(JSON.stringify({detail: 'Server Error'}))
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: the controller failed on GET /v2/apps/ (500 Internal Server Error: Server Error); this is a fault in the controller, not in what you sent; try again, and ${CHECK} and its log\n`,
    })
    expect(server.requests).toEqual(['GET /v2/apps/?limit=100'])
  })

  it('a 502 at login is the gateway, not "does not appear to be a valid Deis controller"', async () => {
    const {server, home} = await serve((_req, res) => {
      res.writeHead(502, {'content-type': 'text/html'})
      res.end('<html><body>502 Bad Gateway</body></html>')
    })
    const r = await runDeis(home, ['login', server.url, '--username', 'alice', '--password', 'pw'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: ${server.url} answered 502 Bad Gateway: a proxy or load balancer in front of the controller got no valid answer from it (3 tries); try again in a minute; ${CHECK}\n`,
    })
    expect(server.requests).toEqual(['GET /v2/', 'GET /v2/', 'GET /v2/'])
  })

  it('trusts a self-signed controller with login --ca-bundle, kept in the profile for later commands', async () => {
    const dir = tempDir()
    const {cert, key} = selfSignedCert()
    writeFileSync(join(dir, 'ca.pem'), cert)
    const requests: string[] = []
    const https = createHttpsServer({cert, key}, (req, res) => {
      requests.push(`${req.method} ${req.url}`)
      if (req.url === '/v2/') {
        res.writeHead(401, {'content-type': 'application/json'})
        res.end(JSON.stringify({detail: 'Authentication credentials were not provided.'}))
      } else if (req.url === '/v2/auth/login/') {
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(JSON.stringify({token: 'tls-token-0123456789'}))
      } else appPages(['tls-app'], 'https://x')(req, res)
    })
    const sockets = new Set<Socket>()
    https.on('connection', s => sockets.add(s))
    await new Promise<void>(resolve => https.listen(0, '127.0.0.1', resolve))
    cleanup.push(
      () =>
        new Promise<void>(resolve => {
          for (const s of sockets) s.destroy()
          https.close(() => resolve())
        }),
    )
    const url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`
    const home = join(dir, 'home')
    mkdirSync(home)

    const refused = await runDeis(home, ['login', url, '--username', 'alice', '--password', 'pw'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain('self-signed certificate; log in with `--ca-bundle <file>`')

    const login = await runDeis(home, ['login', url, '--username', 'alice', '--password', 'pw', '--ca-bundle', 'ca.pem'], {cwd: dir})
    expect(login).toMatchObject({exitCode: 0, stdout: ''})
    const profile = JSON.parse(readFileSync(join(home, '.deis', 'client.json'), 'utf8')) as Record<string, unknown>
    expect(profile.ca_bundle).toBe(join(dir, 'ca.pem'))
    expect(profile.ssl_verify).toBe(true)

    const list = await runDeis(home, ['apps:list'])
    expect(list).toEqual({exitCode: 0, stdout: '=== Apps\ntls-app\n', stderr: ''})

    const viaEnv = homeFor(url)
    cleanup.push(() => rmSync(viaEnv, {recursive: true, force: true}))
    expect(await runDeis(viaEnv, ['apps:list'], {env: {NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem')}})).toEqual({exitCode: 0, stdout: '=== Apps\ntls-app\n', stderr: ''})
    expect(requests.filter(r => r.startsWith('GET /v2/apps/'))).toHaveLength(2)
  })

  it('refuses a --ca-bundle that is not PEM before any request', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'ca.der'), Buffer.from([0x30, 0x82, 0x01, 0x0a]))
    const {server} = await serve(() => {})
    const r = await runDeis(dir, ['login', server.url, '--username', 'a', '--password', 'b', '--ca-bundle', 'ca.der'])
    expect(r).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `Error: the CA bundle ${join(dir, 'ca.der')} is not PEM (no -----BEGIN CERTIFICATE----- block); pass a PEM file of CA certificates, e.g. \`openssl x509 -in ca.der -inform der -out ca.pem\`\n`,
    })
    expect(server.requests).toEqual([])
  })

  it('names a dead proxy as the proxy, not the controller', async () => {
    const dead = createNetServer()
    await new Promise<void>(resolve => dead.listen(0, '127.0.0.1', resolve))
    const port = (dead.address() as AddressInfo).port
    await new Promise<void>(resolve => dead.close(() => resolve()))
    const {server, home} = await serve(appPages(['x'], 'http://x'))
    for (const variable of ['HTTP_PROXY', 'http_proxy']) {
      const r = await runDeis(home, ['apps:list'], {env: {[variable]: `http://127.0.0.1:${port}`}})
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `Error: cannot reach the proxy http://127.0.0.1:${port} (${variable}): connection refused; check ${variable}, or add the controller's host to NO_PROXY\n`,
      })
    }
    expect(server.requests).toEqual([])
  })

  it('names a proxy that will not connect to the controller', async () => {
    const proxy = createNetServer(socket => socket.once('data', () => socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n')))
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise<void>(resolve => proxy.close(() => resolve())))
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const {server, home} = await serve(appPages(['x'], 'http://x'))
    const r = await runDeis(home, ['apps:list'], {env: {HTTP_PROXY: proxyUrl}})
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: the proxy ${proxyUrl} (HTTP_PROXY) answered 502 instead of connecting to ${server.url}; check HTTP_PROXY, or add the controller's host to NO_PROXY\n`,
    })
    expect(server.requests).toEqual([])
  })

  it('a bad DEIS_TIMEOUT is a one-line usage error', async () => {
    const {server, home} = await serve(appPages(['x'], 'http://x'))
    for (const value of ['abc', '-1', '0']) {
      const r = await runDeis(home, ['apps:list'], {env: {DEIS_TIMEOUT: value}})
      expect(r).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: `Error: DEIS_TIMEOUT=${value} is not a number of seconds; set it to a positive number such as DEIS_TIMEOUT=30, or unset it\n`,
      })
    }
    expect(server.requests).toEqual([])
  })

  it('a profile that is a directory, has a number for its controller, or is not JSON is a one-line error', async () => {
    const home = tempDir()
    mkdirSync(join(home, '.deis', 'client.json'), {recursive: true})
    const path = join(home, '.deis', 'client.json')
    expect(await runDeis(home, ['apps:list'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `Error: profile ${path} is a directory, not a file; remove it, or pass -c <profile> to use another profile\n`,
    })
    rmSync(path, {recursive: true})
    writeFileSync(path, '{"controller": 12}')
    expect(await runDeis(home, ['apps:list'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `Error: profile ${path}: "controller" must be a string, not 12; fix the file, or remove it and run \`deis login <controller>\`\n`,
    })
    writeFileSync(path, '{"controller": "http://x", "ssl_verify": "no"}')
    expect((await runDeis(home, ['apps:list'])).stderr).toBe(
      `Error: profile ${path}: "ssl_verify" must be a boolean, not "no"; fix the file, or remove it and run \`deis login <controller>\`\n`,
    )
    writeFileSync(path, '{"controller": ')
    const bad = await runDeis(home, ['apps:list'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toMatch(new RegExp(`^Error: profile ${path} is not valid JSON \\([^\\n]+\\); fix the file, or remove it and run \`deis login <controller>\`\\n$`))
  })
})
