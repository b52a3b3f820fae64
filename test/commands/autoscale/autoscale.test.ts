import {describe, expect, it} from 'vitest'
import {createExampleApp, useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {latestSettings} from '../../../src/controller/model/settings.js'

describe('autoscale:list, autoscale:set, autoscale:unset', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, createExampleApp)
  const autoscale = () => latestSettings(ctl.store, 'example-app').autoscale

  it('sets, lists and unsets a rule', async () => {
    expect(await runDeis(ctl, ['autoscale', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: '=== example-app Autoscale\n\nNo autoscale rules found.\n', stderr: ''})
    expect(await runDeis(ctl, ['autoscale:set', 'web', '--min', '2', '--max', '10', '--cpu-percent', '60', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Applying autoscale settings for process type web on example-app... done\n',
    })
    expect(autoscale()).toEqual({web: {min: 2, max: 10, cpu_percent: 60}})
    expect((await runDeis(ctl, ['autoscale:list', '--app', 'example-app'])).stdout).toBe(
      '=== example-app Autoscale\n\n--- web:\nMin Replicas: 2\nMax Replicas: 10\nCPU: 60%\n',
    )
    expect((await runDeis(ctl, ['autoscale:unset', 'web', '--app', 'example-app'])).stderr).toBe('Removing autoscale for process type web on example-app... done\n')
    expect(autoscale()).toEqual({})
  })

  it('needs every flag as an integer, and the controller refuses unsetting what is not set', async () => {
    const missing = await runDeis(ctl, ['autoscale:set', 'web', '--min', '2', '--app', 'example-app'])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toBe('Error: missing --cpu-percent, --max; see `deis autoscale:set --help`\n')
    expect((await runDeis(ctl, ['autoscale:set', 'web', '--min', 'x', '--max', '1', '--cpu-percent', '1', '--app', 'example-app'])).exitCode).toBe(2)
    expect(await runDeis(ctl, ['autoscale:unset', 'worker', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Removing autoscale for process type worker on example-app... Error: worker does not exist under autoscale; see what is set with `deis autoscale:list -a example-app`\n',
    })
    expect(autoscale()).toEqual({})
  })

  it('refuses strangers', async () => {
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['autoscale', '--app', 'example-app'])).stderr).toBe(
      'Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    )
    ctl.loginAs('alice')
  })
})
