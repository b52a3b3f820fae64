import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {collaborators, grant} from '../../../src/controller/model/perms.js'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {findUser, setSuperuser} from '../../../src/controller/model/users.js'

const FORBIDDEN =
  'You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)'
const ADMIN_ONLY = 'You do not have permission to perform this action; this needs an admin account; ask an admin of the controller'

describe('perms', () => {
  let ctl: TestController
  beforeEach(async () => {
    ctl = await startTestController({users: ['alice', 'bob', 'carol'], apps: ['example-app']})
  })
  afterEach(() => ctl.close())

  describe('perms:list', () => {
    it("lists the app's collaborators, not its owner", async () => {
      grant(ctl.store, 'example-app', 'bob')
      grant(ctl.store, 'example-app', 'carol')
      const r = await runDeis(ctl, ['perms:list', '--app', 'example-app'])
      expect(r).toEqual({exitCode: 0, stdout: "=== example-app's Users\nbob\ncarol\n", stderr: ''})
    })

    it('runs as perms, sharing and sharing:list, and prints the JSON with --json', async () => {
      grant(ctl.store, 'example-app', 'bob')
      for (const word of ['perms', 'sharing', 'sharing:list']) {
        const r = await runDeis(ctl, [word, '-a', 'example-app', '--json'])
        expect(r.exitCode).toBe(0)
        expect(JSON.parse(r.stdout)).toEqual({users: ['bob']})
      }
    })

    it('lets a collaborator list, but not a stranger', async () => {
      grant(ctl.store, 'example-app', 'bob')
      ctl.loginAs('bob')
      expect(await runDeis(ctl, ['perms:list', '-a', 'example-app'])).toEqual({exitCode: 0, stdout: "=== example-app's Users\nbob\n", stderr: ''})
      ctl.loginAs('carol')
      expect(await runDeis(ctl, ['perms:list', '-a', 'example-app'])).toEqual({exitCode: 1, stdout: '', stderr: `Error: ${FORBIDDEN}\n`})
    })

    it('says so for an unknown app', async () => {
      const r = await runDeis(ctl, ['perms:list', '-a', 'no-such-app'])
      expect(r).toEqual({exitCode: 1, stdout: '', stderr: 'Error: No App matches the given query; check the app name with `deis apps:list`\n'})
    })

    it('lists administrators with --admin, "N of M" with --limit', async () => {
      setSuperuser(ctl.store, 'carol', true)
      expect(await runDeis(ctl, ['perms:list', '--admin'])).toEqual({exitCode: 0, stdout: '=== Administrators\nalice\ncarol\n', stderr: ''})
      expect(await runDeis(ctl, ['perms', '--admin', '--limit', '1'])).toEqual({exitCode: 0, stdout: '=== Administrators (1 of 2)\nalice\n', stderr: ''})
    })

    it('refuses --admin to a non-admin', async () => {
      ctl.loginAs('bob')
      expect(await runDeis(ctl, ['perms:list', '--admin'])).toEqual({exitCode: 1, stdout: '', stderr: `Error: ${ADMIN_ONLY}\n`})
    })

    it('exits 2 on --limit without --admin', async () => {
      const r = await runDeis(ctl, ['perms:list', '-a', 'example-app', '-l', '5'])
      expect(r).toEqual({exitCode: 2, stdout: '', stderr: "Error: --limit works only with --admin: an app's collaborators come in one list\n"})
    })
  })

  describe('perms:create', () => {
    it('shares the app', async () => {
      const r = await runDeis(ctl, ['perms:create', 'bob', '--app', 'example-app'])
      expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Adding bob to example-app collaborators... done\n'})
      expect(collaborators(ctl.store, 'example-app')).toEqual(['bob'])
    })

    it('runs as sharing:add and reports an unknown user', async () => {
      const r = await runDeis(ctl, ['sharing:add', 'nobody', '-a', 'example-app'])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: 'Adding nobody to example-app collaborators... Error: No User matches the given query; check the username; `deis users:list` lists them (admins only)\n',
      })
      expect(collaborators(ctl.store, 'example-app')).toEqual([])
    })

    it('does not let a collaborator share further', async () => {
      grant(ctl.store, 'example-app', 'bob')
      ctl.loginAs('bob')
      const r = await runDeis(ctl, ['perms:create', 'carol', '-a', 'example-app'])
      expect(r).toEqual({exitCode: 1, stdout: '', stderr: `Adding carol to example-app collaborators... Error: ${FORBIDDEN}\n`})
      expect(collaborators(ctl.store, 'example-app')).toEqual(['bob'])
    })

    it('makes an administrator with --admin', async () => {
      const r = await runDeis(ctl, ['perms:create', 'bob', '--admin'])
      expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Adding bob to system administrators... done\n'})
      expect(findUser(ctl.store, 'bob')!.is_superuser).toBe(1)
    })

    it('exits 2 without a username, or with both --app and --admin', async () => {
      const none = await runDeis(ctl, ['perms:create', '-a', 'example-app'])
      expect(none.exitCode).toBe(2)
      expect(none.stderr).toBe('Error: missing <username>; see `deis perms:create --help`\n')
      const both = await runDeis(ctl, ['perms:create', 'bob', '-a', 'example-app', '--admin'])
      expect(both.exitCode).toBe(2)
      expect(both.stderr).toContain('--admin=true cannot also be provided when using --app')
      expect(collaborators(ctl.store, 'example-app')).toEqual([])
      expect(findUser(ctl.store, 'bob')!.is_superuser).toBe(0)
    })
  })

  describe('perms:delete', () => {
    it('unshares the app', async () => {
      grant(ctl.store, 'example-app', 'bob')
      const r = await runDeis(ctl, ['perms:delete', 'bob', '--app', 'example-app'])
      expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Removing bob from example-app collaborators... done\n'})
      expect(collaborators(ctl.store, 'example-app')).toEqual([])
    })

    it('lets a collaborator leave, but not remove another collaborator', async () => {
      grant(ctl.store, 'example-app', 'bob')
      grant(ctl.store, 'example-app', 'carol')
      ctl.loginAs('bob')
      const other = await runDeis(ctl, ['sharing:remove', 'carol', '-a', 'example-app'])
      expect(other).toEqual({exitCode: 1, stdout: '', stderr: `Removing carol from example-app collaborators... Error: ${FORBIDDEN}\n`})
      const self = await runDeis(ctl, ['sharing:remove', 'bob', '-a', 'example-app'])
      expect(self).toEqual({exitCode: 0, stdout: '', stderr: 'Removing bob from example-app collaborators... done\n'})
      expect(collaborators(ctl.store, 'example-app')).toEqual(['carol'])
    })

    it('is forbidden for a user who is not a collaborator', async () => {
      const r = await runDeis(ctl, ['perms:delete', 'bob', '-a', 'example-app'])
      expect(r).toEqual({exitCode: 1, stdout: '', stderr: `Removing bob from example-app collaborators... Error: ${FORBIDDEN}\n`})
    })

    it('removes an administrator with --admin', async () => {
      setSuperuser(ctl.store, 'bob', true)
      const r = await runDeis(ctl, ['perms:delete', 'bob', '--admin'])
      expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Removing bob from system administrators... done\n'})
      expect(findUser(ctl.store, 'bob')!.is_superuser).toBe(0)
    })
  })
})
