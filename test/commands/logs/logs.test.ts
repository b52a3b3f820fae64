import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'

const T = '2026-11-25T03:18:28+00:00'
const LINES = [
  `${T} deis[controller]: INFO alice created v2`,
  `${T} example-app[web.v2.x8k2q]: listening on :5000`,
  `${T} example-app[worker.v2.b7zq4]: tick`,
  `${T} example-app[web.v2.p2m9d]: GET / 200`,
]
const NO_LOGS = `Error: There are currently no log messages. Please check the following things:
1) Logger and fluentd pods are running: kubectl --namespace=deis get pods.
2) The application is writing logs to the logger component by checking that an entry in the ring buffer was created: kubectl --namespace=deis logs <logger pod>
3) Making sure that the container logs were mounted properly into the fluentd pod: kubectl --namespace=deis exec <fluentd pod> ls /var/log/containers
3a) If the above command returns saying /var/log/containers cannot be found then please see the following github issue for a workaround: https://github.com/deis/logger/issues/50
`

describe('apps:logs', () => {
  let ctl: TestController
  let broken: Server
  let brokenUrl: string

  beforeAll(async () => {
    ctl = await startTestController({users: ['alice', 'bob'], apps: ['example-app', 'quiet-app']})
    ctl.store.logs.append(
      'example-app',
      LINES.map(l => {
        const [time, source, ...rest] = l.split(/:? /)
        return {time: time!, source: source!, message: rest.join(' ')}
      }),
    )
    // a controller whose logger is down (transcript #112)
    broken = createServer((_req, res) => {
      res.writeHead(500, {'Content-Type': 'text/plain'})
      res.end('Error accessing logs for example-app')
    })
    await new Promise<void>(resolve => broken.listen(0, '127.0.0.1', resolve))
    brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await ctl.close()
    await new Promise(resolve => broken.close(resolve))
  })

  it('prints the latest lines as the controller sends them', async () => {
    expect(ctl.logs.count('example-app')).toBe(4)
    const r = await runDeis(ctl, ['apps:logs', '--app', 'example-app'])
    expect(r).toEqual({exitCode: 0, stdout: LINES.map(l => `${l}\n`).join(''), stderr: ''})
  })

  it('asks for -n lines and keeps only --type lines', async () => {
    expect(await runDeis(ctl, ['logs', '-a', 'example-app', '-n', '2'])).toEqual({exitCode: 0, stdout: `${LINES[2]}\n${LINES[3]}\n`, stderr: ''})
    expect(await runDeis(ctl, ['logs', '--app', 'example-app', '--type', 'web'])).toEqual({exitCode: 0, stdout: `${LINES[1]}\n${LINES[3]}\n`, stderr: ''})
    expect(await runDeis(ctl, ['logs', '--app', 'example-app', '--type', 'clock'])).toEqual({exitCode: 0, stdout: '', stderr: ''})
  })

  it('returns the lines with --json', async () => {
    const r = await runDeis(ctl, ['logs', '--app', 'example-app', '--type', 'worker', '--json'])
    expect(r).toEqual({exitCode: 0, stdout: `${JSON.stringify([LINES[2]], null, 2)}\n`, stderr: ''})
  })

  it('colours each process on a terminal only, and never with --no-color or NO_COLOR', async () => {
    const tty = {DEIS_FORCE_TTY: '1', TERM: 'xterm'}
    const r = await runDeis(ctl, ['logs', '--app', 'example-app'], {env: tty})
    expect(r.exitCode).toBe(0)
    const lines = r.stdout.split('\n').slice(0, -1)
    expect(lines[0]).toBe(`\u001B[35m${LINES[0]}\u001B[0m`)
    const codes = lines.map(l => /^\u001B\[(\d+)m(.*)\u001B\[0m$/.exec(l))
    expect(codes.map(m => m?.[2])).toEqual(LINES)
    expect(new Set(codes.slice(1).map(m => m![1])).size).toBeGreaterThan(1)
    expect(codes[1]![1]).not.toBe('35')
    expect(await runDeis(ctl, ['logs', '--app', 'example-app', '--no-color'], {env: tty})).toEqual({exitCode: 0, stdout: LINES.map(l => `${l}\n`).join(''), stderr: ''})
    expect(await runDeis(ctl, ['logs', '--app', 'example-app'], {env: {...tty, NO_COLOR: '1'}})).toEqual({exitCode: 0, stdout: LINES.map(l => `${l}\n`).join(''), stderr: ''})
  })

  it("keeps the Go client's text for an app without log lines (204)", async () => {
    expect(await runDeis(ctl, ['logs', '--app', 'quiet-app'])).toEqual({exitCode: 1, stdout: '', stderr: NO_LOGS})
  })

  it('shows the real error otherwise: permission, unknown app, logger failure', async () => {
    ctl.loginAs('bob')
    expect(await runDeis(ctl, ['logs', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    })
    ctl.loginAs('alice')
    expect(await runDeis(ctl, ['logs', '--app', 'no-such-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No App matches the given query; check the app name with `deis apps:list`\n',
    })
    ctl.loginAs('alice', {controller: brokenUrl})
    expect(await runDeis(ctl, ['logs', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error: the controller failed on GET /v2/apps/example-app/logs (500 Internal Server Error: Error accessing logs for example-app); this is a fault in the controller, not in what you sent; try again, and if it persists, check the controller (`kubectl get pods -n deis` on a cluster, `deis local:status` for the local one) and its log\n',
    })
    ctl.loginAs('alice')
  })

  it('rejects a line count that is not a positive number', async () => {
    const r = await runDeis(ctl, ['logs', '--app', 'example-app', '--lines', '0'])
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('--lines')
  })
})
