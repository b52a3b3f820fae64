import {beforeEach, describe, expect, it} from 'vitest'
import {checkPassword} from '../../../src/controller/model/users.js'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {revokeTokens} from '../../../src/controller/model/tokens.js'
import {findUser, setPassword} from '../../../src/controller/model/users.js'

describe('auth:passwd', () => {
  const ctl = useTestController({users: ['alice', 'bob']})
  const passwordOf = (u: string) => findUser(ctl.store, u)!.password
  beforeEach(async () => {
    await setPassword(ctl.store, 'alice', 'alicepw')
    await setPassword(ctl.store, 'bob', 'bobpw')
    ctl.loginAs('bob')
  })

  it('changes your own password given the current one', async () => {
    const r = await runDeis(ctl, ['passwd', '--password', 'bobpw', '--new-password', 'n3w'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Password change succeeded.\n'})
    expect(await checkPassword('n3w', passwordOf('bob'))).toBe(true)
  })

  it('fails with exit 1 (not 4) on a wrong current password and changes nothing', async () => {
    const r = await runDeis(ctl, ['auth:passwd', '--password', 'wrong', '--new-password', 'n3w'])
    expect(r).toEqual({exitCode: 1, stdout: '', stderr: 'Error: Current password does not match\n'})
    expect(await checkPassword('bobpw', passwordOf('bob'))).toBe(true)
  })

  it("lets an admin change another user's password without the old one", async () => {
    ctl.loginAs('alice')
    const r = await runDeis(ctl, ['passwd', '--username', 'bob', '--new-password', 'reset'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Password change succeeded.\n'})
    expect(await checkPassword('reset', passwordOf('bob'))).toBe(true)
  })

  it('refuses a non-admin naming someone else', async () => {
    const r = await runDeis(ctl, ['passwd', '--username', 'alice', '--new-password', 'x'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: You do not have permission to perform this action; this needs an admin account; ask an admin of the controller\n',
    })
    expect(await checkPassword('alicepw', passwordOf('alice'))).toBe(true)
  })

  it('needs the passwords as flags without a terminal (exit 2)', async () => {
    expect(await runDeis(ctl, ['passwd'])).toEqual({exitCode: 2, stdout: '', stderr: 'Error: no terminal to prompt on; pass --password\n'})
    expect(await runDeis(ctl, ['passwd', '--password', 'bobpw'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: no terminal to prompt on; pass --new-password\n',
    })
    expect(await checkPassword('bobpw', passwordOf('bob'))).toBe(true)
  })

  it('exits 4 on a stale token', async () => {
    revokeTokens(ctl.store, 'bob')
    const r = await runDeis(ctl, ['passwd', '--password', 'bobpw', '--new-password', 'x'])
    expect(r).toEqual({exitCode: 4, stdout: '', stderr: `Error: Invalid token; log in again with \`deis login ${ctl.url}\`\n`})
    expect(await checkPassword('bobpw', passwordOf('bob'))).toBe(true)
  })
})
