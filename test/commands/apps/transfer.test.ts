import {afterEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {findApp} from '../../../src/controller/model/apps.js'

describe('apps:transfer', () => {
  const ctl = useTestController({users: ['alice', 'bob', 'carol'], apps: ['example-app', 'other-app']})
  afterEach(() => ctl.loginAs('alice'))

  it('makes the user the owner of the app', async () => {
    const r = await runDeis(ctl, ['apps:transfer', 'bob', '--app', 'example-app'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Transferring example-app to bob... done\n'})
    expect(findApp(ctl.store, 'example-app')?.owner).toBe('bob')
  })

  it('passes on the 403 when the caller neither owns the app nor is an admin', async () => {
    ctl.loginAs('carol')
    const r = await runDeis(ctl, ['apps:transfer', 'carol', '-a', 'other-app'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Transferring other-app to carol... Error: You do not have permission to perform this action; ask the owner of other-app or an admin to give you access (`deis perms:create <username> -a other-app`)\n',
    })
    expect(findApp(ctl.store, 'other-app')?.owner).toBe('alice')
  })

  it('passes on the 404 for an unknown user', async () => {
    const r = await runDeis(ctl, ['apps:transfer', 'nobody', '-a', 'other-app'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Transferring other-app to nobody... Error: No User matches the given query; check the username; `deis users:list` lists them (admins only)\n',
    })
    expect(findApp(ctl.store, 'other-app')?.owner).toBe('alice')
  })

  it('exits 2 without a username', async () => {
    const r = await runDeis(ctl, ['apps:transfer', '-a', 'other-app'])
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('Error: missing <username>; see `deis apps:transfer --help`\n')
    expect(findApp(ctl.store, 'other-app')?.owner).toBe('alice')
  })
})
