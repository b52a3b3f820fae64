import {describe, expect, it} from 'vitest'
import {createExampleApp, useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {latestSettings} from '../../../src/controller/model/settings.js'

describe('routing:info, routing:enable, routing:disable', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, createExampleApp)
  const routable = () => Number(latestSettings(ctl.store, 'example-app').routable)

  it('disables and enables routing; enabling twice is refused', async () => {
    expect(await runDeis(ctl, ['routing', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: 'Routing is enabled.\n', stderr: ''})
    expect((await runDeis(ctl, ['routing:enable', '--app', 'example-app'])).stderr).toBe(
      'Enabling routing for example-app... Error: alice changed nothing; it is already set that way; nothing to do\n',
    )
    expect(await runDeis(ctl, ['routing:disable', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: '', stderr: 'Disabling routing for example-app... done\n'})
    expect(routable()).toBe(0)
    expect((await runDeis(ctl, ['routing:info', '--app', 'example-app'])).stdout).toBe('Routing is disabled.\n')
    expect((await runDeis(ctl, ['routing:enable', '--app', 'example-app'])).stderr).toBe('Enabling routing for example-app... done\n')
    expect(routable()).toBe(1)
  })

  it('refuses strangers', async () => {
    ctl.loginAs('bob')
    expect(await runDeis(ctl, ['routing:disable', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Disabling routing for example-app... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    })
    ctl.loginAs('alice')
    expect(routable()).toBe(1)
  })
})
