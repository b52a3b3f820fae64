import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {LocalInstance} from '../../../src/controller/daemon.js'
import {localPaths} from '../../../src/local/instance.js'
import {stopLocal} from '../../../src/local/daemon-process.js'
import {BIN, runDeis} from '../../helpers/run.js'
import {alive, daemonPids, pidFile} from './helpers.js'

describe('local:start / local:stop / local:status', () => {
  let root: string
  let home: string
  const dirs: string[] = []
  const dataDir = (name: string) => {
    const d = join(root, name)
    dirs.push(d)
    return d
  }

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'deis-local-'))
    home = join(root, 'home')
    mkdirSync(home)
  })

  afterAll(async () => {
    for (const d of dirs) await stopLocal(localPaths(d, {}))
    rmSync(root, {recursive: true, force: true})
  })

  it('starts one daemon, and a second start reports it instead of starting another', async () => {
    const dir = dataDir('twice')
    const first = await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    const rec = pidFile(dir)
    expect(rec.state).toBe('running')
    expect(first).toEqual({exitCode: 0, stdout: `${rec.url}\n`, stderr: `Starting the local controller... done\nNext: deis register ${rec.url}\n`})
    const ready = await fetch(`${rec.url}/readiness`)
    expect([ready.status, await ready.text()]).toEqual([200, 'OK'])

    const second = await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    expect(second).toEqual({
      exitCode: 0,
      stdout: `${rec.url}\n`,
      stderr: `Starting the local controller... already running (pid ${rec.pid})\nNext: deis register ${rec.url}\n`,
    })
    expect(daemonPids(dir)).toEqual([rec.pid])
    expect(pidFile(dir)).toEqual(rec)
  })

  it('reports running and stopped, in text and JSON', async () => {
    const dir = dataDir('status')
    const stopped = await runDeis(home, ['local:status', '--data-dir', dir])
    expect(stopped).toEqual({
      exitCode: 0,
      stdout: `=== Local controller\nstatus:    stopped\ndata dir:  ${dir}\nlog:       ${dir}/controller.log\n`,
      stderr: '',
    })
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    const rec = pidFile(dir)
    const running = await runDeis(home, ['local:status', '--data-dir', dir])
    // the runtime (builder, router) picks free ports with --port 0 and publishes them in runtime.json
    const rt = JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8')) as {builder: string; router: string; router_https: string}
    expect(rt.builder).toMatch(/^ssh:\/\/127\.0\.0\.1:\d+$/)
    // the fingerprint ssh itself computes for the key the builder serves
    const scanned = execFileSync('ssh-keyscan', ['-t', 'rsa', '-p', new URL(rt.builder).port, '127.0.0.1'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
    const hostKey = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], {input: scanned, encoding: 'utf8'}).split(' ')[1]
    expect(hostKey).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    expect(running).toEqual({
      exitCode: 0,
      stdout:
        `=== Local controller\nstatus:    running\nurl:       ${rec.url}\npid:       ${rec.pid}\nbuilder:   ${rt.builder}\n` +
        `router:    ${rt.router}, ${rt.router_https} (apps at <app>.localhost)\n` +
        `host key:  ${hostKey} (RSA, asked about on the first git push)\ndata dir:  ${dir}\nlog:       ${dir}/controller.log\n\n=== Apps\n`,
      stderr: '',
    })
    const json = await runDeis(home, ['local:status', '--data-dir', dir, '--json'])
    expect(json.exitCode).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({
      running: true,
      url: rec.url,
      pid: rec.pid,
      data_dir: dir,
      log_file: join(dir, 'controller.log'),
      api: rec.url,
      builder: rt.builder,
      router: rt.router,
      router_https: rt.router_https,
      platform_domain: 'localhost',
      apps: [],
      host_key: hostKey,
    })
  })

  it('stop ends its own daemon and leaves another data dir’s daemon running', async () => {
    const a = dataDir('stop-a')
    const b = dataDir('stop-b')
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', a])
    await runDeis(home, ['local:start', '--port', '0', '--data-dir', b])
    const [recA, recB] = [pidFile(a), pidFile(b)]

    const stop = await runDeis(home, ['local:stop', '--data-dir', a])
    expect(stop).toEqual({exitCode: 0, stdout: '', stderr: 'Stopping the local controller... done\n'})
    expect(alive(recA.pid)).toBe(false)
    expect(existsSync(join(a, 'controller.pid'))).toBe(false)
    expect(daemonPids(b)).toEqual([recB.pid])
    expect(readFileSync(join(a, 'controller.log'), 'utf8')).toMatch(/controller stopping \(SIGTERM\)\n$/)

    const again = await runDeis(home, ['local:stop', '--data-dir', a, '--json'])
    expect(again.exitCode).toBe(0)
    expect(JSON.parse(again.stdout)).toEqual({stopped: false})
  })

  it('never signals a process that merely reuses the recorded pid', async () => {
    const dir = dataDir('recycled')
    mkdirSync(dir)
    const stranger = spawn('sleep', ['60'], {stdio: 'ignore'})
    const fake: LocalInstance = {
      pid: stranger.pid!,
      instance: 'f00d',
      state: 'running',
      url: 'http://127.0.0.1:1',
      port: 1,
      data_dir: dir,
      started: '2024-01-01T00:00:00Z',
    }
    writeFileSync(join(dir, 'controller.pid'), JSON.stringify(fake))
    try {
      const status = await runDeis(home, ['local:status', '--data-dir', dir, '--json'])
      expect(JSON.parse(status.stdout).running).toBe(false)
      const stop = await runDeis(home, ['local:stop', '--data-dir', dir])
      expect(stop).toEqual({exitCode: 0, stdout: '', stderr: 'Stopping the local controller... not running\n'})
      expect(alive(stranger.pid!)).toBe(true)
      expect(existsSync(join(dir, 'controller.pid'))).toBe(false)
    } finally {
      stranger.kill('SIGKILL')
    }
  })

  it('writes the local builder into a profile that points at this controller, and drops the next step', async () => {
    const dir = dataDir('profile')
    const start = await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    expect(start.exitCode).toBe(0)
    const url = pidFile(dir).url
    const profile = join(home, '.deis', 'client.json')
    mkdirSync(join(home, '.deis'), {recursive: true})
    writeFileSync(profile, JSON.stringify({username: 'alice', ssl_verify: true, controller: url, token: 't', response_limit: 0, extra: 1}))
    const other = join(home, '.deis', 'other.json')
    const otherText = JSON.stringify({username: 'bob', ssl_verify: true, controller: 'http://deis.example.com', token: 't', response_limit: 0})
    writeFileSync(other, otherText)

    const again = await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir])
    expect(again.stderr).toBe(`Starting the local controller... already running (pid ${pidFile(dir).pid})\n`)
    expect(JSON.parse(readFileSync(profile, 'utf8'))).toEqual({
      username: 'alice',
      ssl_verify: true,
      controller: url,
      token: 't',
      response_limit: 0,
      extra: 1,
      builder: pidFile(dir).builder,
      router: pidFile(dir).router,
    })
    expect(pidFile(dir).router).toMatch(/^http:\/\/localhost:\d+$/)
    expect(pidFile(dir).builder).toMatch(/^ssh:\/\/127\.0\.0\.1:\d+$/)

    const elsewhere = await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir], {env: {DEIS_PROFILE: 'other'}})
    expect(elsewhere.stderr).toMatch(/\nNext: deis register http:\/\/127\.0\.0\.1:\d+\n$/)
    expect(readFileSync(other, 'utf8')).toBe(otherText)
  })

  it('register after local:start records the running builder, so create writes a working remote', async () => {
    const fresh = join(root, 'fresh-home')
    mkdirSync(fresh)
    const defaultDir = localPaths(undefined, {HOME: fresh}).dataDir
    dirs.push(defaultDir)
    expect((await runDeis(fresh, ['local:start', '--port', '0'])).exitCode).toBe(0)
    const rec = pidFile(defaultDir)
    const reg = await runDeis(fresh, ['register', rec.url, '--username', 'alice', '--password', 'alicepw', '--email', 'alice@example.com'])
    expect(reg.exitCode).toBe(0)
    const profile = JSON.parse(readFileSync(join(fresh, '.deis', 'client.json'), 'utf8'))
    expect(profile).toMatchObject({username: 'alice', controller: rec.url, builder: rec.builder, router: rec.router})
    expect(rec.router).toMatch(/^http:\/\/localhost:\d+$/)
    expect(rec.builder).toMatch(/^ssh:\/\/127\.0\.0\.1:\d+$/)
  })

  it('passes --registration and --max-body to the daemon', async () => {
    const dir = dataDir('limits')
    expect((await runDeis(home, ['local:start', '--port', '0', '--data-dir', dir, '--registration', 'disabled', '--max-body', '2048'])).exitCode).toBe(0)
    const {url} = pidFile(dir)
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})
    const reg = await post('/v2/auth/register/', {username: 'alice', password: 'alicepw'})
    expect([reg.status, await reg.json()]).toEqual([403, {detail: 'Registration is disabled'}])
    const big = await post('/v2/auth/login/', {username: 'x'.repeat(3000), password: 'pw'})
    expect([big.status, (await big.json()).detail]).toEqual([413, 'Request body is larger than 2048 bytes; send less, or start the controller with a larger --max-body.'])
    const bad = await runDeis(home, ['local:start', '--port', '0', '--data-dir', dataDir('bad-mode'), '--registration', 'open'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toBe('Error: --registration: expected enabled, admin_only or disabled, got "open"; see `deis local:start --help`\n')
  })

  it('fails with the reason and a hint when the port is taken, leaving no pid file', async () => {
    const dir = dataDir('busy')
    const blocker: Server = createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    try {
      const r = await runDeis(home, ['local:start', '--port', String(port), '--data-dir', dir])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `Starting the local controller... Error: the local controller did not start: port ${port} is already in use; stop what listens there, or pass --port <port> (0 picks a free one)\n`,
      })
      expect(existsSync(join(dir, 'controller.pid'))).toBe(false)
      expect(daemonPids(dir)).toEqual([])
    } finally {
      blocker.close()
    }
  })

  it('runs in the foreground until signalled, then stops the daemon', async () => {
    const dir = dataDir('fg')
    const env = {...process.env, HOME: home, DEIS_KEYCHAIN: 'off'}
    const child = spawn(process.execPath, [BIN, 'local:start', '--foreground', '--port', '0', '--data-dir', dir], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    const exited = new Promise<number | null>(resolve => child.on('close', resolve))
    await new Promise<void>(resolve => child.stdout.setEncoding('utf8').on('data', d => (stdout += d) && stdout.endsWith('\n') && resolve()))
    const rec = pidFile(dir)
    expect(stdout).toBe(`${rec.url}\n`)
    expect(daemonPids(dir)).toEqual([rec.pid])
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(stderr).toMatch(/press Ctrl-C to stop\n.*controller stopping \(SIGTERM\)\n$/s)
    expect(alive(rec.pid)).toBe(false)
    expect(existsSync(join(dir, 'controller.pid'))).toBe(false)
  })
})
