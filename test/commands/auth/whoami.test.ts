import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {revokeTokens} from '../../../src/controller/model/tokens.js'
import {findUser} from '../../../src/controller/model/users.js'

const DEFAULT_REASON = 'the default (no -c/--config, no DEIS_PROFILE, no "deis" git remote at a profile\'s builder)'

describe('auth:whoami', () => {
  const ctl = useTestController({users: ['alice', 'bob']})
  beforeEach(() => ctl.loginAs('alice'))

  it('names the profile user and controller without calling the controller', async () => {
    const r = await runDeis(ctl, ['whoami'])
    expect(r).toEqual({exitCode: 0, stdout: `You are alice at ${ctl.url}\n`, stderr: `Profile ${join(ctl.home, '.deis', 'client.json')}: ${DEFAULT_REASON}\n`})
  })

  it('prints the ten-line block with --all', async () => {
    const bob = findUser(ctl.store, 'bob')!
    ctl.loginAs('bob')
    const r = await runDeis(ctl, ['auth:whoami', '--all'])
    expect(r).toEqual({
      exitCode: 0,
      stdout: [
        'ID: 0',
        'Username: bob',
        'Email: bob@example.com',
        'First Name: ',
        'Last Name: ',
        `Last Login: ${bob.last_login}`,
        'Is Superuser: false',
        'Is Staff: false',
        'Is Active: true',
        `Date Joined: ${bob.date_joined}`,
        '',
      ].join('\n'),
      stderr: `Profile ${join(ctl.home, '.deis', 'client.json')}: ${DEFAULT_REASON}\n`,
    })
  })

  it("prints the controller's user object with --all --json", async () => {
    const r = await runDeis(ctl, ['whoami', '--all', '--json'])
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({username: 'alice', is_superuser: true, email: 'alice@example.com'})
  })

  it('exits 4 with a login hint when no profile exists', async () => {
    const r = await runDeis(ctl, ['whoami'], {env: {DEIS_PROFILE: 'nobody'}})
    expect(r).toEqual({
      exitCode: 4,
      stdout: '',
      stderr: `Error: client configuration file not found at ${join(ctl.home, '.deis', 'nobody.json')}; are you logged in? Use 'deis login' or 'deis register' to get started\n`,
    })
  })

  it('exits 4 with a hint to log in again on a stale token', async () => {
    revokeTokens(ctl.store, 'alice')
    const r = await runDeis(ctl, ['whoami', '--all'])
    expect(r).toEqual({exitCode: 4, stdout: '', stderr: `Error: Invalid token; log in again with \`deis login ${ctl.url}\`\n`})
  })

  it('asks as the DEIS_TOKEN user when DEIS_TOKEN is set', async () => {
    revokeTokens(ctl.store, 'alice')
    const r = await runDeis(ctl, ['whoami', '--all'], {env: {DEIS_TOKEN: ctl.tokens.bob!}})
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('Username: bob\n')
  })
})
