import {describe, expect, it} from 'vitest'
import {startServer} from '../../api/servers.js'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {startDeis} from './follow-process.js'

const T = '2026-11-25T03:18:28+00:00'
// today's controller lines, the real controller's (controller-api §4.6) and older loggers' side by side
const LINES = [
  `${T} deis[api]: alice created v2`,
  `${T} example-app[web.1]: listening on :5000`,
  `${T} deis[controller]: INFO alice scaled pods web=2`,
  `${T} example-app[web.v3.x8k2q]: GET / 200`,
  `${T} example-app[worker.v3.ab12c]: tick`,
  `${T} example-app[web.2]: GET /health 200`,
]
const OLD = ['INFO [example-app]: alice deployed v4', 'example-app-web-1234567890-x8k2q -- GET / 200', 'example-app-worker-1234567890-zz9yy -- tick']
const pick = (lines: string[], ...i: number[]) => i.map(n => `${lines[n]}\n`).join('')

describe('logs --source, --dyno and --tail', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app']}, async ctl => {
    ctl.store.logs.append(
      'example-app',
      LINES.map(l => {
        const [time, source, ...rest] = l.split(/:? /)
        return {time: time!, source: source!, message: rest.join(' ')}
      }),
    )
  })
  const logs = (...args: string[]) => runDeis(ctl, ['logs', '--app', 'example-app', ...args])

  it('--source deis keeps the controller lines, --source app (or -s <app>) the app lines', async () => {
    expect(await logs('--source', 'deis')).toEqual({exitCode: 0, stdout: pick(LINES, 0, 2), stderr: ''})
    expect(await logs('-s', 'app')).toEqual({exitCode: 0, stdout: pick(LINES, 1, 3, 4, 5), stderr: ''})
    expect((await logs('-s', 'example-app')).stdout).toBe(pick(LINES, 1, 3, 4, 5))
    expect(await logs('-s', 'heroku')).toMatchObject({
      exitCode: 2,
      stderr: 'Error: --source must be app or deis, got "heroku"; ex: deis logs --source deis --app example-app\n',
    })
  })

  it('--dyno takes a type, or a type and its number or pod suffix; --type stays', async () => {
    expect((await logs('--dyno', 'web')).stdout).toBe(pick(LINES, 1, 3, 5))
    expect((await logs('-d', 'web.2')).stdout).toBe(pick(LINES, 5))
    expect((await logs('-d', 'web.x8k2q')).stdout).toBe(pick(LINES, 3))
    expect((await logs('--type', 'worker')).stdout).toBe(pick(LINES, 4))
    expect((await logs('--type', 'web', '--dyno', 'web.1', '-s', 'app')).stdout).toBe(pick(LINES, 1))
  })

  it('filters an older logger’s lines too (`INFO [app]:` and `<pod> -- `)', async () => {
    const old = await startServer((_req, res) => {
      res.writeHead(200, {'Content-Type': 'text/plain'})
      res.end(OLD.map(l => `${l}\n`).join(''))
    })
    try {
      ctl.loginAs('alice', {controller: old.url})
      const run = (...args: string[]) => runDeis(ctl, ['logs', '--app', 'example-app', ...args])
      expect((await run('--source', 'deis')).stdout).toBe(pick(OLD, 0))
      expect((await run('--source', 'app')).stdout).toBe(pick(OLD, 1, 2))
      expect((await run('--dyno', 'worker')).stdout).toBe(pick(OLD, 2))
      expect((await run('--dyno', 'web.x8k2q')).stdout).toBe(pick(OLD, 1))
    } finally {
      ctl.loginAs('alice')
      await old.close()
    }
  })

  it('takes -t/--tail as -f/--follow: prints new lines as they arrive, filtered', async () => {
    for (const flag of ['-t', '--tail']) {
      const following = startDeis(ctl.home, ['logs', '--app', 'example-app', flag, '--dyno', 'worker'])
      try {
        await following.waitFor('tick', 20_000)
        ctl.store.logs.append('example-app', [
          {time: T, source: 'example-app[web.3]', message: 'skipped'},
          {time: T, source: 'example-app[worker.2]', message: `new ${flag}`},
        ])
        await following.waitFor(`new ${flag}`, 20_000)
        expect(following.stdout()).not.toContain('skipped')
      } finally {
        await following.interrupt()
      }
    }
  }, 60_000)
})
