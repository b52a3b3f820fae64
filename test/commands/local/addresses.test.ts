import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {createController} from '../../../src/controller/server.js'
import {stopLocal} from '../../../src/local/daemon-process.js'
import {localPaths} from '../../../src/local/instance.js'
import {runDeis} from '../../helpers/run.js'
import {alive, blockPort, daemonPids, pidFile} from './helpers.js'

const portOf = (url: string | undefined) => Number(new URL(url!).port)

describe('local:start keeps its addresses, and local:* find it without --data-dir', () => {
  let root: string
  let home: string
  let n = 0
  const dirs: string[] = []
  const dataDir = (name: string) => {
    const d = join(root, name)
    dirs.push(d)
    return d
  }
  const register = (url: string, cwd = home) => runDeis(home, ['register', url, '--username', 'alice', '--password', 'alicepw', '--email', 'alice@example.com'], {cwd})
  const profile = () => JSON.parse(readFileSync(join(home, '.deis', 'client.json'), 'utf8')) as Record<string, unknown>

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'local-addr-'))
  })
  beforeEach(() => {
    home = join(root, `home-${++n}`)
    mkdirSync(home)
  })
  afterEach(async () => {
    for (const d of dirs.splice(0)) await stopLocal(localPaths(d, {}))
  })
  afterAll(() => rmSync(root, {recursive: true, force: true}))

  it('saves the ports --port 0 picked and reuses them on the next start, so the profile keeps working', async () => {
    const dir = dataDir('stable')
    expect((await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])).exitCode).toBe(0)
    const first = pidFile(dir)
    expect(JSON.parse(readFileSync(join(dir, 'ports.json'), 'utf8'))).toEqual(first.ports)
    expect(first.ports).toEqual({
      port: first.port,
      'builder-port': portOf(first.builder),
      'router-port': portOf(first.router),
      'router-https-port': expect.any(Number),
    })
    expect((await register(first.url)).exitCode).toBe(0)
    expect(profile()).toMatchObject({controller: first.url, builder: first.builder, router: first.router})
    const before = readFileSync(join(home, '.deis', 'client.json'), 'utf8')

    expect((await runDeis(home, ['local:stop', '--data-dir', dir])).exitCode).toBe(0)
    const again = await runDeis(home, ['local:start', '--data-dir', dir])
    expect(again).toEqual({exitCode: 0, stdout: `${first.url}\n`, stderr: 'Starting the local controller... done\n'})
    const second = pidFile(dir)
    expect(second.pid).not.toBe(first.pid)
    expect([second.url, second.builder, second.router, second.ports]).toEqual([first.url, first.builder, first.router, first.ports])
    expect(readFileSync(join(home, '.deis', 'client.json'), 'utf8')).toBe(before)
    expect((await runDeis(home, ['apps:list'])).exitCode).toBe(0)
  })

  it('a flag overrides one saved port; the profile follows the controller it pointed at', async () => {
    const dir = dataDir('override')
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    const first = pidFile(dir)
    await register(first.url)
    await runDeis(home, ['local:stop', '--data-dir', dir])
    const moved = await runDeis(home, ['local:start', '--data-dir', dir, '--port', '0', '--builder-port', String(portOf(first.builder))])
    expect(moved.stderr).toBe('Starting the local controller... done\n')
    const second = pidFile(dir)
    expect(second.builder).toBe(first.builder)
    expect(second.url).not.toBe(first.url)
    expect(profile()).toMatchObject({username: 'alice', controller: second.url, builder: second.builder, router: second.router})
    expect((await runDeis(home, ['apps:list'])).exitCode).toBe(0)
  })

  it('tells a user who exists to log in, not to register', async () => {
    const dir = dataDir('known')
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    const {url} = pidFile(dir)
    await register(url)
    rmSync(join(home, '.deis', 'client.json'))
    const again = await runDeis(home, ['local:start', '--data-dir', dir])
    expect(again.stderr).toBe(`Starting the local controller... already running (pid ${pidFile(dir).pid})\nNext: deis login ${url}\n`)
  })

  it('names the flag of the port that is taken', async () => {
    const blocker = await blockPort()
    try {
      for (const flag of ['--builder-port', '--router-port', '--router-https-port']) {
        const dir = dataDir(`busy${flag}`)
        const r = await runDeis(home, ['local:start', '--port', '0', flag, String(blocker.port), '--data-dir', dir])
        expect(r).toEqual({
          exitCode: 1,
          stdout: '',
          stderr: `Starting the local controller... Error: the local controller did not start: port ${blocker.port} is already in use; stop what listens there, or pass ${flag} <port> (0 picks a free one)\n`,
        })
        expect(existsSync(join(dir, 'controller.pid'))).toBe(false)
        expect(daemonPids(dir)).toEqual([])
      }
    } finally {
      blocker.server.close()
    }
  })

  it('says so when a saved port is taken, naming its flag and where it was saved', async () => {
    const dir = dataDir('saved-busy')
    const blocker = await blockPort()
    try {
      mkdirSync(dir)
      // the other saved ports are free ones, never the defaults: the daemon may bind them before it finds the API port taken
      const free = async () => {
        const b = await blockPort()
        await new Promise(resolve => b.server.close(resolve))
        return b.port
      }
      const saved = {port: blocker.port, 'builder-port': await free(), 'router-port': await free(), 'router-https-port': await free()}
      writeFileSync(join(dir, 'ports.json'), JSON.stringify(saved))
      const r = await runDeis(home, ['local:start', '--data-dir', dir])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr:
          `Starting the local controller... Error: the local controller did not start: port ${blocker.port} (saved by the last start in ${dir}/ports.json) ` +
          'is already in use; stop what listens there, or pass --port <port> (0 picks a free one)\n',
      })
      expect(daemonPids(dir)).toEqual([])
    } finally {
      blocker.server.close()
    }
  })

  it('status and stop find the most recently started one; status lists every running one', async () => {
    const [a, b] = [dataDir('first'), dataDir('second')]
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', a])
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', b])
    const [recA, recB] = [pidFile(a), pidFile(b)]

    const status = await runDeis(home, ['local:status'])
    expect(status.exitCode).toBe(0)
    expect(status.stdout).toMatch(
      new RegExp(
        `^=== Running local controllers\\n${recB.url}  pid ${recB.pid}  ${b}\\n${recA.url}  pid ${recA.pid}  ${a}\\n\\n=== Local controller\\nstatus:    running\\nurl:       ${recB.url}\\n`,
      ),
    )
    const json = JSON.parse((await runDeis(home, ['local:status', '--json'])).stdout)
    expect(json).toMatchObject({
      running: true,
      url: recB.url,
      data_dir: b,
      instances: [
        {url: recB.url, pid: recB.pid, data_dir: b},
        {url: recA.url, pid: recA.pid, data_dir: a},
      ],
    })

    expect(await runDeis(home, ['local:stop'])).toEqual({exitCode: 0, stdout: '', stderr: 'Stopping the local controller... done\n'})
    expect(alive(recB.pid)).toBe(false)
    expect(daemonPids(a)).toEqual([recA.pid])
    const one = await runDeis(home, ['local:status'])
    expect(one.stdout).toMatch(new RegExp(`^=== Local controller\\nstatus:    running\\nurl:       ${recA.url}\\n`))
    expect((await runDeis(home, ['local:stop'])).stderr).toBe('Stopping the local controller... done\n')
    expect(alive(recA.pid)).toBe(false)
    expect((await runDeis(home, ['local:stop'])).stderr).toBe('Stopping the local controller... not running\n')
  })

  it('honours DEIS_LOCAL_DIR for start, status and stop', async () => {
    const dir = dataDir('from-env')
    const env = {DEIS_LOCAL_DIR: dir}
    expect((await runDeis(home, ['local:start', '--port', '0'], {env})).exitCode).toBe(0)
    const rec = pidFile(dir)
    expect(JSON.parse((await runDeis(home, ['local:status', '--json'], {env})).stdout)).toMatchObject({running: true, url: rec.url, data_dir: dir})
    expect((await runDeis(home, ['local:stop'], {env})).stderr).toBe('Stopping the local controller... done\n')
    expect(alive(rec.pid)).toBe(false)
  })

  it('register against an instance started with --data-dir records its builder and router, and create writes a working remote', async () => {
    const dir = dataDir('elsewhere')
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    const rec = pidFile(dir)
    expect((await register(rec.url)).exitCode).toBe(0)
    expect(profile()).toMatchObject({controller: rec.url, builder: rec.builder, router: rec.router})
    const repo = join(home, 'repo')
    mkdirSync(repo)
    const {execFileSync} = await import('node:child_process')
    execFileSync('git', ['init', '-q', '-b', 'main'], {cwd: repo})
    expect((await runDeis(home, ['create', 'example-app'], {cwd: repo})).exitCode).toBe(0)
    const remote = execFileSync('git', ['remote', 'get-url', 'deis'], {cwd: repo, encoding: 'utf8'}).trim()
    expect(remote).toBe(`ssh://git@127.0.0.1:${portOf(rec.builder)}/example-app.git`)
  })

  it('records no local addresses for a controller that is not a remembered local one', async () => {
    const dir = dataDir('not-this-one')
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    const other = await createController({port: 0})
    try {
      expect((await register(other.url)).exitCode).toBe(0)
      expect(profile()).toMatchObject({username: 'alice', controller: other.url})
      expect(Object.keys(profile())).not.toContain('builder')
      expect(Object.keys(profile())).not.toContain('router')
    } finally {
      await other.close()
    }
  })
})
