import {describe, expect, it} from 'vitest'
import {createExampleApp, useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {latestSettings} from '../../../src/controller/model/settings.js'

describe('maintenance:info, maintenance:on, maintenance:off', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, createExampleApp)
  const latest = () => {
    const {maintenance, routable} = latestSettings(ctl.store, 'example-app')
    return {maintenance: Number(maintenance), routable: Number(routable)}
  }

  it('turns maintenance mode on and off', async () => {
    expect(await runDeis(ctl, ['maintenance', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: 'Maintenance mode is off.\n', stderr: ''})
    expect(await runDeis(ctl, ['maintenance:on', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: '', stderr: 'Enabling maintenance mode for example-app... done\n'})
    expect(latest()).toEqual({maintenance: 1, routable: 1})
    expect((await runDeis(ctl, ['maintenance:info', '--app', 'example-app'])).stdout).toBe('Maintenance mode is on.\n')
    expect((await runDeis(ctl, ['maintenance:on', '--app', 'example-app'])).stderr).toBe(
      'Enabling maintenance mode for example-app... Error: alice changed nothing; it is already set that way; nothing to do\n',
    )
    expect((await runDeis(ctl, ['maintenance:off', '--app', 'example-app'])).stderr).toBe('Disabling maintenance mode for example-app... done\n')
    expect(latest()).toEqual({maintenance: 0, routable: 1})
  })

  it('refuses strangers and unknown apps', async () => {
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['maintenance:on', '--app', 'example-app'])).stderr).toBe(
      'Enabling maintenance mode for example-app... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    )
    ctl.loginAs('alice')
    expect(await runDeis(ctl, ['maintenance', '--app', 'nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No App matches the given query; check the app name with `deis apps:list`\n',
    })
    expect(latest()).toEqual({maintenance: 0, routable: 1})
  })
})
