import {describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {setSuperuser} from '../../../src/controller/model/users.js'

describe('users:list', () => {
  const ctl = useTestController({users: ['alice', 'bob', 'carol']}, async () => {
    setSuperuser(ctl.store, 'carol', true)
  })

  it('lists every user, administrators marked with *', async () => {
    ctl.loginAs('alice')
    expect(await runDeis(ctl, ['users:list'])).toEqual({exitCode: 0, stdout: '=== Users (*=admin)\n*alice\nbob\n*carol\n', stderr: ''})
  })

  it('runs as users, shows "N of M" with --limit and follows pages with --all', async () => {
    ctl.loginAs('alice')
    expect(await runDeis(ctl, ['users', '-l', '2'])).toEqual({exitCode: 0, stdout: '=== Users (*=admin) (2 of 3)\n*alice\nbob\n', stderr: ''})
    const r = await runDeis(ctl, ['users:list', '--limit', '1', '--all', '--json'])
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout).results.map((u: {username: string}) => u.username)).toEqual(['alice', 'bob', 'carol'])
  })

  it('is for administrators only', async () => {
    ctl.loginAs('bob')
    expect(await runDeis(ctl, ['users:list'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: You do not have permission to perform this action; this needs an admin account; ask an admin of the controller\n',
    })
  })
})
