import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {createUser, findUser} from '../../../src/controller/model/users.js'

describe('auth:cancel', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app']}, async () => {
    profile = join(ctl.home, '.deis', 'client.json')
  })
  let profile: string
  beforeEach(async () => {
    for (const u of ['bob', 'carol']) {
      if (!findUser(ctl.store, u)) await createUser(ctl.store, {username: u, password: `${u}pw`, email: `${u}@example.com`, is_superuser: false})
    }
    ctl.loginAs('alice')
  })

  it('cancels your own account after logging in again, and removes the profile', async () => {
    ctl.loginAs('carol')
    const r = await runDeis(ctl, ['auth:cancel', '--username', 'carol', '--password', 'carolpw', '--yes'])
    expect(r).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: `Please log in again in order to cancel this account\nLogged in as carol\nConfiguration file written to ${profile}\nAccount cancelled\n`,
    })
    expect(findUser(ctl.store, 'carol')).toBeUndefined()
    expect(existsSync(profile)).toBe(false)
  })

  it("lets an admin cancel another account, keeping the admin's profile", async () => {
    const r = await runDeis(ctl, ['auth:cancel', '--username', 'bob', '--yes'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Account cancelled\n'})
    expect(findUser(ctl.store, 'bob')).toBeUndefined()
    expect(JSON.parse(readFileSync(profile, 'utf8')).username).toBe('alice')
  })

  it('refuses to cancel an account that still owns apps', async () => {
    const r = await runDeis(ctl, ['auth:cancel', '--username', 'alice', '--yes'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: alice still has applications assigned. Delete or transfer ownership; transfer them (`deis apps:transfer <username> -a <app>`) or destroy them first\n',
    })
    expect(findUser(ctl.store, 'alice')).toBeDefined()
    expect(existsSync(profile)).toBe(true)
  })

  it('needs --yes without a terminal (exit 2) and changes nothing', async () => {
    const r = await runDeis(ctl, ['auth:cancel', '--username', 'bob'])
    expect(r).toEqual({exitCode: 2, stdout: '', stderr: 'Error: no terminal to prompt on; pass --yes\n'})
    expect(findUser(ctl.store, 'bob')).toBeDefined()
  })

  it('needs --username to log in again without a terminal (exit 2)', async () => {
    ctl.loginAs('bob')
    const r = await runDeis(ctl, ['auth:cancel', '--yes'])
    expect(r).toEqual({exitCode: 2, stdout: '', stderr: 'Please log in again in order to cancel this account\nError: no terminal to prompt on; pass --username\n'})
    expect(findUser(ctl.store, 'bob')).toBeDefined()
  })

  it('refuses a non-admin cancelling someone else', async () => {
    ctl.loginAs('bob')
    const r = await runDeis(ctl, ['auth:cancel', '--username', 'carol', '--yes'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: You do not have permission to perform this action; this needs an admin account; ask an admin of the controller\n',
    })
    expect(findUser(ctl.store, 'carol')).toBeDefined()
  })

  it('exits 4 without a profile', async () => {
    const r = await runDeis(ctl, ['auth:cancel', '--username', 'bob', '--yes'], {env: {DEIS_PROFILE: 'none'}})
    expect(r.exitCode).toBe(4)
    expect(r.stderr).toMatch(/^Error: client configuration file not found at .*none\.json; are you logged in\?/)
    expect(findUser(ctl.store, 'bob')).toBeDefined()
  })
})
