import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createController, type Controller} from '../../../src/controller/server.js'
import {Store} from '../../../src/controller/model/db.js'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {startDeis} from './follow-process.js'
import {mintToken} from '../../../src/controller/model/tokens.js'
import {createUser} from '../../../src/controller/model/users.js'
import {createApp} from '../../../src/controller/model/app-lifecycle.js'

const T = '2026-11-25T03:18:28+00:00'
const web = (msg: string) => `${T} example-app[web.1]: ${msg}`

describe('apps:logs --follow over the WebSocket stream', () => {
  let ctl: TestController
  const add = (proc: string, message: string) => ctl.store.logs.append('example-app', [{source: `example-app[${proc}]`, message, time: T}])

  beforeAll(async () => {
    ctl = await startTestController({users: ['alice', 'bob'], apps: ['example-app']})
    add('web.1', 'old 1')
    add('web.1', 'old 2')
  })
  afterAll(() => ctl.close())

  it('prints the last lines, then a line appended after it started, and ends with exit 0 on Ctrl-C', async () => {
    const deis = startDeis(ctl.home, ['logs', '--app', 'example-app', '--follow', '--lines', '1'])
    await deis.waitFor(`${web('old 2')}\n`)
    add('web.1', 'new 1')
    await deis.waitFor(`${web('new 1')}\n`)
    add('web.1', 'same')
    add('web.1', 'same')
    await deis.waitFor(`${web('same')}\n${web('same')}\n`)
    expect(await deis.interrupt()).toBe(0)
    expect(deis.stdout()).toBe([web('old 2'), web('new 1'), web('same'), web('same')].map(l => `${l}\n`).join(''))
    expect(deis.stderr()).toBe('')
  })

  it('keeps only --type lines and colours per process on a terminal', async () => {
    const deis = startDeis(ctl.home, ['logs', '-a', 'example-app', '-f', '--type', 'worker'], {DEIS_FORCE_TTY: '1', TERM: 'xterm'})
    add('worker.1', 'ready')
    await deis.waitFor('ready')
    add('web.1', 'skipped')
    ctl.store.logs.event('example-app', 'alice scaled worker=2')
    add('worker.2', 'also ready')
    await deis.waitFor('also ready')
    expect(await deis.interrupt()).toBe(0)
    const lines = deis.stdout().split('\n').slice(0, -1)
    const plain = lines.map(l => l.replace(/\u001B\[\d+m/g, ''))
    expect(plain).toEqual([`${T} example-app[worker.1]: ready`, `${T} example-app[worker.2]: also ready`])
    expect(lines.every(l => /^\u001B\[\d+m.*\u001B\[0m$/.test(l))).toBe(true)
  })

  it("tells a stranger the controller's 403, as the plain endpoint does", async () => {
    ctl.loginAs('bob')
    try {
      const r = await runDeis(ctl, ['logs', '--app', 'example-app', '--follow'])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr:
          'Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
      })
    } finally {
      ctl.loginAs('alice')
    }
  })
})

describe('apps:logs --follow across a controller restart', () => {
  it('resumes where it stopped: nothing lost, nothing repeated', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deis-logs-data-'))
    const home = mkdtempSync(join(tmpdir(), 'deis-logs-home-'))
    let ctl: Controller | undefined
    try {
      ctl = await createController({port: 0, dataDir})
      const port = ctl.port
      await createUser(ctl.store, {username: 'alice', password: 'pw', email: 'a@example.com', is_superuser: true})
      const token = mintToken(ctl.store, 'alice')
      ctl.logs.withoutEvents(() => createApp(ctl.store, 'example-app', 'alice'))
      mkdirSync(join(home, '.deis'), {recursive: true})
      writeFileSync(join(home, '.deis', 'client.json'), JSON.stringify({username: 'alice', ssl_verify: true, controller: ctl.url, token, response_limit: 0}))
      for (const n of [1, 2, 3]) ctl.store.logs.line('example-app', 'example-app[web.1]', `before ${n}`)

      const deis = startDeis(home, ['logs', '--app', 'example-app', '--follow'])
      await deis.waitFor('before 3\n')
      await ctl.close()
      ctl = undefined
      // lines logged while the API is down, e.g. by the apps themselves
      const store = new Store({dataDir})
      for (const n of [1, 2]) store.logs.line('example-app', 'example-app[web.1]', `while down ${n}`)
      store.logs.line('example-app', 'example-app[web.1]', 'while down 2')
      store.close()
      ctl = await createController({port, dataDir})
      await deis.waitFor('while down 2\n')
      ctl.store.logs.line('example-app', 'example-app[web.1]', 'after')
      await deis.waitFor('after\n')
      expect(await deis.interrupt()).toBe(0)
      const messages = deis
        .stdout()
        .split('\n')
        .slice(0, -1)
        .map(l => l.replace(/^\S+ example-app\[web\.1\]: /, ''))
      expect(messages).toEqual(['before 1', 'before 2', 'before 3', 'while down 1', 'while down 2', 'while down 2', 'after'])
      // which one depends on when the retry lands: on the closing socket (closed) or after it (refused)
      expect(deis.stderr()).toMatch(/^(reconnecting: cannot reach http:\/\/127\.0\.0\.1:\d+: connection (refused|closed)\n)?$/)
    } finally {
      await ctl?.close()
      rmSync(dataDir, {recursive: true, force: true})
      rmSync(home, {recursive: true, force: true})
    }
  })
})

/**
 * A controller without the stream: only `GET /v2/apps/example-app/logs?log_lines=N`, served from a
 * ring buffer of `size` lines like deis-logger. Each plain GET first appends the next scripted batch,
 * so every poll sees a known change.
 */
function ringController(size: number, batches: string[][]) {
  const ring: string[] = []
  let served = 0
  let upgrades = 0
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/v2/apps/example-app/logs') {
      res.writeHead(404).end()
      return
    }
    if (req.headers.upgrade) upgrades++
    else {
      for (const line of batches[served] ?? []) {
        ring.push(line)
        if (ring.length > size) ring.shift()
      }
      served++
    }
    const n = Number(url.searchParams.get('log_lines') ?? 100)
    const lines = ring.slice(-n)
    if (lines.length === 0) res.writeHead(204).end()
    else res.writeHead(200, {'Content-Type': 'text/plain'}).end(lines.map(l => `${l}\n`).join(''))
  })
  return {
    server,
    served: () => served,
    upgrades: () => upgrades,
    listen: () => new Promise<string>(resolve => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise(resolve => server.close(resolve)),
  }
}

describe('apps:logs --follow against a controller without the stream', () => {
  let ctl: TestController
  beforeAll(async () => {
    ctl = await startTestController({users: ['alice']})
  })
  afterAll(() => ctl.close())

  it('polls the plain endpoint and prints each line once, runs of identical lines included', async () => {
    const [a, b, c, d, x] = ['a', 'b', 'c', 'd', 'x'].map(web)
    // [x, x] then [x]: only the growing window tells a new x from the old ones; later runs have neighbours
    const batches = [[x, x], [x], [a, b], [x, x], [x, c], [c, c, c], [d], [], [d, d]]
    const fake = ringController(6, batches)
    const url = await fake.listen()
    ctl.loginAs('alice', {controller: url})
    try {
      const deis = startDeis(ctl.home, ['logs', '--app', 'example-app', '--follow'])
      const expected = batches
        .flat()
        .map(l => `${l}\n`)
        .join('')
      await deis.waitFor(expected)
      const served = fake.served()
      const end = Date.now() + 30_000
      while (fake.served() < served + 2 && Date.now() < end) await new Promise(r => setTimeout(r, 20))
      expect(await deis.interrupt()).toBe(0)
      expect(deis.stdout()).toBe(expected)
      expect(deis.stderr()).toBe('')
      expect(fake.upgrades()).toBe(1)
    } finally {
      await fake.close()
      ctl.loginAs('alice')
    }
  })
})
