import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {Scheduler, type Deployment} from '../../../src/controller/runtime/scheduler.js'
import {alive, SAMPLE, until} from './helpers.js'

const APP = 'example-app'

describe('termination grace period per process type (timeouts:set)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deis-grace-'))
  // the controller's own grace is far longer than any wait below: only the type's timeout can end the process in time
  const scheduler = new Scheduler({graceMs: 600_000, readyTimeoutMs: 30_000, pidDir: join(dir, 'pids')})
  afterAll(async () => {
    await scheduler.close()
    rmSync(dir, {recursive: true, force: true})
  })
  const dep = (worker: number): Deployment => ({
    app: APP,
    version: 2,
    dir: SAMPLE,
    env: {},
    // ignores SIGTERM, so only SIGKILL after the grace period stops it
    procfile: {worker: 'trap "" TERM; while true; do sleep 0.2; done'},
    structure: {worker},
    graceSeconds: {worker: 1},
  })

  it("kills a process that ignores SIGTERM after its type's grace period, not the controller's", async () => {
    await scheduler.apply(dep(1))
    const [pid] = Object.values(await until(() => (Object.values(scheduler.pids(APP)).some(Boolean) ? scheduler.pids(APP) : undefined), 'the worker'))
    expect(alive(pid)).toBe(true)
    await scheduler.apply(dep(0))
    await until(() => !alive(pid), 'the worker to be killed', 120_000)
    expect(scheduler.pods(APP)).toEqual([])
  }, 180_000)
})
