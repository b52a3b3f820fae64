import {describe, expect, it} from 'vitest'
import {setPodRecordState} from '../../../src/controller/model/pods.js'
import {useTestController} from '../../helpers/controller.js'
import {seedApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'

describe('ps:wait', () => {
  const ctl = useTestController({users: ['alice']}, async ctl => {
    await seedApi(ctl, 'POST', '/v2/apps/', {id: 'example-app'})
    await seedApi(ctl, 'POST', '/v2/apps/example-app/builds', {image: 'example/image:1', procfile: {web: './server', worker: './worker'}})
    await seedApi(ctl, 'POST', '/v2/apps/example-app/scale/', {web: 2, worker: 1})
  })
  const setState = (type: string, state: string) => setPodRecordState(ctl.store, 'example-app', type, state)

  it('returns once every process of the current release is up', async () => {
    const r = await runDeis(ctl, ['ps:wait', '--app', 'example-app'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Waiting for the processes of example-app v2... done\n'})
    const json = JSON.parse((await runDeis(ctl, ['ps:wait', '--app', 'example-app', '--json'])).stdout)
    expect(json).toEqual({
      app: 'example-app',
      release: 'v2',
      processes: [
        {type: 'web', desired: 2, up: 2},
        {type: 'worker', desired: 1, up: 1},
      ],
    })
  })

  it('exits 1 on timeout naming what is not up; --type waits for one type only', async () => {
    setState('worker', 'starting')
    try {
      const r = await runDeis(ctl, ['ps:wait', '--app', 'example-app', '--timeout', '2'])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: 'Waiting for the processes of example-app v2... Error: timed out after 2s: worker 0/1 up (v2); see why with `deis logs --app example-app`\n',
      })
      expect((await runDeis(ctl, ['ps:wait', '--app', 'example-app', '--type', 'web', '--timeout', '2'])).exitCode).toBe(0)
    } finally {
      setState('worker', 'up')
    }
  })

  it('refuses a process type the app does not have', async () => {
    expect(await runDeis(ctl, ['ps:wait', '--app', 'example-app', '--type', 'clock'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: example-app has no process type clock; see them with `deis ps --app example-app`\n',
    })
  })
})
