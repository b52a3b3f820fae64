import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {startServer} from '../../api/servers.js'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {userByToken} from '../../../src/controller/model/tokens.js'

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>

describe('auth:login', () => {
  let ctl: TestController
  let home: string
  const homes: string[] = []
  beforeAll(async () => {
    ctl = await startTestController({users: ['alice', 'bob'], apps: ['example-app']})
  })
  afterAll(async () => {
    await ctl.close()
    for (const h of homes) rmSync(h, {recursive: true, force: true})
  })
  beforeEach(() => ctl.loginAs('alice'))
  const freshHome = () => {
    home = mkdtempSync(join(tmpdir(), 'deis-login-'))
    homes.push(home)
  }

  it('logs in, writes a 0600 profile in a 0700 ~/.deis, and the profile works', async () => {
    freshHome()
    const path = join(home, '.deis', 'client.json')
    const r = await runDeis(home, ['auth:login', ctl.url, '--username', 'bob', '--password', 'bobpw'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: `Logged in as bob\nConfiguration file written to ${path}\n`})
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify({username: 'bob', ssl_verify: true, controller: ctl.url, token: readJson(path).token, response_limit: 0}))
    expect(userByToken(ctl.store, String(readJson(path).token))?.username).toBe('bob')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(join(home, '.deis')).mode & 0o777).toBe(0o700)
    expect(await runDeis(home, ['whoami'])).toMatchObject({exitCode: 0, stdout: `You are bob at ${ctl.url}\n`})
  })

  it('normalises the controller URL (scheme added, path dropped) through the `login` alias', async () => {
    freshHome()
    const r = await runDeis(home, ['login', `127.0.0.1:${ctl.port}/some/path/`, '--username', 'alice', '--password', 'alicepw', '--json'])
    expect(r.exitCode).toBe(0)
    const url = ctl.url
    expect(JSON.parse(r.stdout)).toEqual({username: 'alice', controller: url, profile: join(home, '.deis', 'client.json'), token_store: 'file'})
    expect(r.stdout).not.toContain(String(readJson(join(home, '.deis', 'client.json')).token))
    expect(readJson(join(home, '.deis', 'client.json')).controller).toBe(url)
  })

  it('keeps every other key of a profile for the same controller', async () => {
    ctl.loginAs('alice', {response_limit: 7, builder: 'ssh://127.0.0.1:2223', editor: 'vi'})
    const r = await runDeis(ctl, ['login', ctl.url, '--username', 'bob', '--password', 'bobpw'])
    expect(r.exitCode).toBe(0)
    const token = String(readJson(join(ctl.home, '.deis', 'client.json')).token)
    expect(userByToken(ctl.store, token)?.username).toBe('bob')
    expect(readFileSync(join(ctl.home, '.deis', 'client.json'), 'utf8')).toBe(
      JSON.stringify({
        username: 'bob',
        ssl_verify: true,
        controller: ctl.url,
        token,
        response_limit: 7,
        builder: 'ssh://127.0.0.1:2223',
        editor: 'vi',
      }),
    )
  })

  it('starts afresh when the profile pointed at another controller', async () => {
    freshHome()
    const path = join(home, '.deis', 'client.json')
    await runDeis(home, ['login', ctl.url, '--username', 'bob', '--password', 'bobpw'])
    writeFileSync(path, JSON.stringify({...readJson(path), controller: 'http://other.example.com', response_limit: 5, builder: 'ssh://x:1'}))
    const r = await runDeis(home, ['login', ctl.url, '--username', 'alice', '--password', 'alicepw', '--ssl-verify', 'false'])
    expect(r.exitCode).toBe(0)
    expect(readJson(path)).toEqual({username: 'alice', ssl_verify: false, controller: ctl.url, token: expect.stringMatching(/^[0-9a-f]{40}$/), response_limit: 0})
    expect(userByToken(ctl.store, String(readJson(path).token))?.username).toBe('alice')
  })

  it('only a literal "false" turns --ssl-verify off', async () => {
    freshHome()
    const r = await runDeis(home, ['login', ctl.url, '--username', 'alice', '--password', 'alicepw', '--ssl-verify=no'])
    expect(r.exitCode).toBe(0)
    expect(readJson(join(home, '.deis', 'client.json')).ssl_verify).toBe(true)
  })

  it('fails on a wrong password and leaves the profile alone', async () => {
    const before = readFileSync(join(ctl.home, '.deis', 'client.json'), 'utf8')
    const r = await runDeis(ctl, ['login', ctl.url, '--username', 'alice', '--password', 'wrong'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: Unable to log in with provided credentials; check the username and password; `deis register <controller>` creates an account\n',
    })
    expect(readFileSync(join(ctl.home, '.deis', 'client.json'), 'utf8')).toBe(before)
  })

  it('needs --username and --password without a terminal (exit 2)', async () => {
    freshHome()
    const noUser = await runDeis(home, ['login', ctl.url])
    expect(noUser).toEqual({exitCode: 2, stdout: '', stderr: 'Error: no terminal to prompt on; pass --username\n'})
    const noPassword = await runDeis(home, ['login', ctl.url, '--username', 'alice'])
    expect(noPassword).toEqual({exitCode: 2, stdout: '', stderr: 'Error: no terminal to prompt on; pass --password\n'})
    expect(existsSync(join(home, '.deis', 'client.json'))).toBe(false)
  })

  it('needs the controller argument (exit 2)', async () => {
    freshHome()
    const r = await runDeis(home, ['login'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('controller')
  })

  it('refuses a server whose /v2/ does not answer 401', async () => {
    freshHome()
    const server = await startServer((_req, res) => {
      res.writeHead(200, {'content-type': 'text/html'})
      res.end('<html>welcome</html>')
    })
    const r = await runDeis(home, ['login', server.url, '--username', 'alice', '--password', 'alicepw'])
    await server.close()
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: ${server.url} does not appear to be a valid Deis controller; check the controller URL, that the server is running, and that it speaks the Deis Workflow v2 API\n`,
    })
    expect(server.requests).toEqual(['GET /v2/'])
  })

  it('names the URL when the controller is down', async () => {
    freshHome()
    const server = await startServer(() => {})
    await server.close()
    const r = await runDeis(home, ['login', server.url, '--username', 'alice', '--password', 'alicepw'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: cannot reach ${server.url}: connection refused; is the controller running? \`deis local:start\` starts a local one\n`,
    })
  })
})
