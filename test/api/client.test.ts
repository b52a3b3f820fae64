import {rmSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {useTestController} from '../helpers/controller.js'
import {runDeis} from '../helpers/run.js'
import {appPages, homeFor, startHttpsServer, startProxy, startServer, type TestServer, useServers} from './servers.js'

const WARNING = (server: string) =>
  `!    WARNING: Client and server API versions do not match. Please consider upgrading.\n!    Client version: 2.3\n!    Server version: ${server}\n`

describe('API client faults, through the CLI', () => {
  const {serve} = useServers()

  it('turns a 502 with an HTML body into one readable line naming the proxy in front and a fix, after 3 tries', async () => {
    const {server, home} = await serve((_req, res) => {
      res.writeHead(502, {'content-type': 'text/html'})
      res.end('<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center></body></html>\n')
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        `Error: ${server.url} answered 502 Bad Gateway: a proxy or load balancer in front of the controller got no valid answer from it (3 tries); ` +
        'try again in a minute; if it persists, check the controller (`kubectl get pods -n deis` on a cluster, `deis local:status` for the local one)\n',
    })
    expect(server.requests).toEqual(['GET /v2/apps/?limit=100', 'GET /v2/apps/?limit=100', 'GET /v2/apps/?limit=100'])
  })

  it('gives up after DEIS_TIMEOUT seconds and says how to wait longer', async () => {
    const {server, home} = await serve(() => {})
    const r = await runDeis(home, ['apps:list'], {env: {DEIS_TIMEOUT: '1'}})
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: no answer from ${server.url} within 1s (/v2/apps/); set DEIS_TIMEOUT=<seconds> to wait longer\n`,
    })
  })

  it('times out a body that stalls after the headers', async () => {
    const {server, home} = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'application/json', 'content-length': '100'})
      res.write('{"count": 1, ')
    })
    const r = await runDeis(home, ['apps:list'], {env: {DEIS_TIMEOUT: '1'}})
    expect(r.stderr).toBe(`Error: no answer from ${server.url} within 1s (/v2/apps/); set DEIS_TIMEOUT=<seconds> to wait longer\n`)
    expect(r.exitCode).toBe(1)
  })

  it('reports a connection dropped in the middle of an answer', async () => {
    const {server, home} = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'application/json', 'content-length': '1000'})
      res.write('{"count": 1, "next": null, "results": [', () => res.socket?.destroy())
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: the connection to ${server.url} closed before the answer to GET /v2/apps/ was complete (3 tries); check the controller and any proxy in between (HTTPS_PROXY, HTTP_PROXY)\n`,
    })
  })

  it('reports a connection refused, naming the controller', async () => {
    const {server, home} = await serve(() => {})
    await server.close()
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: cannot reach ${server.url}: connection refused; is the controller running? \`deis local:start\` starts a local one\n`,
    })
  })

  it('says so when a 200 body is not JSON', async () => {
    const {home} = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/html'})
      res.end('<html>captive portal</html>')
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error: the controller sent a response that is not JSON (GET /v2/apps/, status 200); a web page answered, not a Deis controller: check the controller URL in your profile and any proxy or captive portal in between\n',
    })
  })

  it('renders DRF field errors as one readable line per field', async () => {
    const {home} = await serve((_req, res) => {
      res.writeHead(400, {'content-type': 'application/json'})
      res.end(JSON.stringify({id: ['App name can only contain a-z (lowercase), 0-9 and hyphens'], non_field_errors: ['Something else.', 'And more.']}))
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: id: App name can only contain a-z (lowercase), 0-9 and hyphens\nSomething else. And more; check what you gave; `deis help apps` shows the usage\n',
    })
  })

  it('warns once about DEIS_API_VERSION 2.10 (numerically newer than 2.3) however many requests run', async () => {
    const {server, home} = await serve(appPages(['a1', 'a2', 'a3'], 'http://elsewhere.invalid', {DEIS_API_VERSION: '2.10'}))
    const r = await runDeis(home, ['apps:list', '--limit', '1', '--all'])
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\na1\na2\na3\n', stderr: WARNING('2.10')})
    expect(server.requests).toEqual(['GET /v2/apps/?limit=1', 'GET /v2/apps/?limit=1&offset=1', 'GET /v2/apps/?limit=1&offset=2'])
  })

  it('does not warn when the controller speaks 2.3', async () => {
    const {home} = await serve(appPages(['a1'], 'http://x', {DEIS_API_VERSION: '2.3'}))
    const r = await runDeis(home, ['apps:list'])
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\na1\n', stderr: ''})
  })

  it("follows `next` against the profile's controller with --all, and stops at the first page without it", async () => {
    const {server, home} = await serve(appPages(['a1', 'a2', 'a3'], 'http://internal-name:8000'))
    const all = await runDeis(home, ['apps:list', '--limit', '2', '--all'])
    expect(all).toEqual({exitCode: 0, stdout: '=== Apps\na1\na2\na3\n', stderr: ''})
    const first = await runDeis(home, ['apps:list', '--limit', '2'])
    expect(first).toEqual({exitCode: 0, stdout: '=== Apps (2 of 3)\na1\na2\n', stderr: ''})
    expect(server.requests).toEqual(['GET /v2/apps/?limit=2', 'GET /v2/apps/?limit=2&offset=2', 'GET /v2/apps/?limit=2'])
  })

  it('sends the token as `Authorization: token` and a deis-cli User-Agent', async () => {
    let seen: Record<string, string | string[] | undefined> = {}
    const {home} = await serve((req, res) => {
      seen = req.headers
      appPages([], 'http://x')(req, res)
    })
    const r = await runDeis(home, ['apps:list'])
    expect(r.exitCode).toBe(0)
    expect(seen.authorization).toBe('token secret-token-0123456789')
    expect(seen['user-agent']).toBe('deis-cli/0.1.0')
    expect(seen['content-type']).toBe('application/json')
  })
})

describe('TLS and proxies', () => {
  let https: TestServer
  let http: TestServer
  let proxy: TestServer
  const homes: string[] = []
  beforeAll(async () => {
    https = await startHttpsServer(appPages(['secure-app'], 'https://x'))
    http = await startServer(appPages(['plain-app'], 'http://x'))
    proxy = await startProxy()
  })
  afterAll(async () => {
    await Promise.all([https.close(), http.close(), proxy.close()])
    for (const h of homes) rmSync(h, {recursive: true, force: true})
  })
  const home = (controller: string, extra: Record<string, unknown> = {}) => {
    const h = homeFor(controller, extra)
    homes.push(h)
    return h
  }

  it('talks to a self-signed HTTPS controller when the profile says ssl_verify: false', async () => {
    const r = await runDeis(home(https.url, {ssl_verify: false}), ['apps:list'])
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\nsecure-app\n', stderr: ''})
  })

  it('refuses the self-signed certificate with ssl_verify: true', async () => {
    const before = https.requests.length
    const r = await runDeis(home(https.url), ['apps:list'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: TLS error talking to ${https.url}: self-signed certificate; log in with \`--ca-bundle <file>\` holding the CA that signed its certificate (or set NODE_EXTRA_CA_CERTS); \`--ssl-verify false\` only if you trust this controller\n`,
    })
    expect(https.requests.length).toBe(before)
  })

  it('sends plain HTTP through HTTP_PROXY', async () => {
    const before = proxy.requests.length
    const r = await runDeis(home(http.url), ['apps:list'], {env: {HTTP_PROXY: proxy.url}})
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\nplain-app\n', stderr: ''})
    expect(proxy.requests.slice(before)).toEqual([expect.stringMatching(new RegExp(`^(CONNECT 127\\.0\\.0\\.1:${http.port}|GET ${http.url}/v2/apps/\\?limit=100)$`))])
  })

  it('tunnels HTTPS through HTTPS_PROXY', async () => {
    const before = proxy.requests.length
    const r = await runDeis(home(https.url, {ssl_verify: false}), ['apps:list'], {env: {HTTPS_PROXY: proxy.url}})
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\nsecure-app\n', stderr: ''})
    expect(proxy.requests.slice(before)).toEqual([`CONNECT 127.0.0.1:${https.port}`])
  })

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const before = proxy.requests.length
    const r = await runDeis(home(http.url), ['apps:list'], {env: {HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1'}})
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\nplain-app\n', stderr: ''})
    expect(proxy.requests.length).toBe(before)
  })
})

describe('DEIS_DEBUG', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app']})

  it('logs requests and answers on stderr without the token', async () => {
    const token = ctl.tokens.alice!
    const r = await runDeis(ctl, ['apps:list'], {env: {DEIS_DEBUG: '1'}})
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('=== Apps\nexample-app\n')
    expect(r.stderr).toContain(`> GET ${ctl.url}/v2/apps/?limit=100`)
    expect(r.stderr).toContain('> authorization: token ***')
    expect(r.stderr).toContain('< 200 ')
    expect(r.stderr).not.toContain(token)
  })

  it('redacts the token and password of a login, and a DEIS_TOKEN', async () => {
    const token = ctl.tokens.alice!
    const login = await runDeis(ctl, ['login', ctl.url, '--username', 'alice', '--password', 'alicepw'], {env: {DEIS_DEBUG: 'true'}})
    expect(login.exitCode).toBe(0)
    expect(login.stderr).toContain('"password":"***"')
    expect(login.stderr).toContain('{"token":"***"}')
    expect(login.stderr).not.toContain(token)
    expect(login.stderr).not.toContain('alicepw')
    const env = await runDeis(ctl, ['auth:whoami', '--all'], {env: {DEIS_DEBUG: '1', DEIS_TOKEN: token}})
    expect(env.exitCode).toBe(0)
    expect(env.stderr).not.toContain(token)
  })
})
