import {describe, expect, it} from 'vitest'
import {currentConfig} from '../../../src/controller/model/releases.js'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'

const DEFAULT = 'default (30 sec) or controlled by env KUBERNETES_POD_TERMINATION_GRACE_PERIOD_SECONDS'

describe('timeouts:* (Hephy)', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app']})
  const grace = () => currentConfig(ctl.store, 'example-app').termination_grace_period

  it('lists the default before anything is set', async () => {
    expect(await runDeis(ctl, ['timeouts', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: `=== example-app Timeouts (sec)\n${DEFAULT}\n`, stderr: ''})
  })

  it('sets grace periods per type in the config field the real controller uses, then lists them', async () => {
    expect(await runDeis(ctl, ['timeouts:set', 'web=30', 'worker=300', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '=== example-app Timeouts (sec)\nweb        30\nworker     300\n',
      stderr: 'Applying timeouts... done\n\n',
    })
    expect(grace()).toEqual({web: '30', worker: '300'})
    const logs = await runDeis(ctl, ['logs', '--app', 'example-app', '-s', 'deis'])
    expect(logs.stdout).toContain('changed timeouts for termination_grace_period')
  })

  it('refuses a value that is not whole seconds before asking the controller', async () => {
    expect(await runDeis(ctl, ['timeouts:set', 'web=3s', '--app', 'example-app'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: "Error: web=3s doesn't fit format type=#; Examples: web=30 worker=300\n",
    })
    expect(grace()).toEqual({web: '30', worker: '300'})
  })

  it('unsets types back to the default', async () => {
    expect(await runDeis(ctl, ['timeouts:unset', 'worker', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '=== example-app Timeouts (sec)\nweb     30\n',
      stderr: 'Applying timeouts... done\n\n',
    })
    expect((await runDeis(ctl, ['timeouts:unset', 'web', '--app', 'example-app'])).stdout).toBe(`=== example-app Timeouts (sec)\n${DEFAULT}\n`)
    expect(grace()).toEqual({})
  })
})
