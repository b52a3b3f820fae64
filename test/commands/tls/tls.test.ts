import {describe, expect, it} from 'vitest'
import {createExampleApp, useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {latestTls} from '../../../src/controller/model/tls.js'

describe('tls:info, tls:enable, tls:disable', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, createExampleApp)
  const enforced = () => {
    const e = latestTls(ctl.store, 'example-app').https_enforced
    return e === null ? null : Number(e)
  }

  it('shows not set, enables, refuses enabling twice, disables', async () => {
    expect(await runDeis(ctl, ['tls', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: '=== example-app TLS\nHTTPS Enforced: not set\n', stderr: ''})
    expect(await runDeis(ctl, ['tls:enable', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: '', stderr: 'Enabling https-only requests for example-app... done\n'})
    expect(enforced()).toBe(1)
    expect((await runDeis(ctl, ['tls:info', '--app', 'example-app'])).stdout).toBe('=== example-app TLS\nHTTPS Enforced: true\n')
    expect(await runDeis(ctl, ['tls:enable', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Enabling https-only requests for example-app... Error: alice changed nothing; it is already set that way; nothing to do\n',
    })
    expect((await runDeis(ctl, ['tls:disable', '--app', 'example-app'])).stderr).toBe('Disabling https-only requests for example-app... done\n')
    expect(enforced()).toBe(0)
    expect(JSON.parse((await runDeis(ctl, ['tls:info', '--app', 'example-app', '--json'])).stdout)).toMatchObject({app: 'example-app', https_enforced: false})
  })

  it('refuses strangers and unknown apps', async () => {
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['tls:enable', '--app', 'example-app'])).stderr).toBe(
      'Enabling https-only requests for example-app... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    )
    ctl.loginAs('alice')
    expect(await runDeis(ctl, ['tls', '--app', 'nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No App matches the given query; check the app name with `deis apps:list`\n',
    })
    expect(enforced()).toBe(0)
  })
})
