import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {findUser} from '../../../src/controller/model/users.js'

describe('auth:regenerate', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']}, async () => {
    profile = join(ctl.home, '.deis', 'client.json')
  })
  let profile: string
  const token = (u: string) => findUser(ctl.store, u)!.token
  const saved = () => JSON.parse(readFileSync(profile, 'utf8')) as Record<string, unknown>
  beforeEach(() => ctl.loginAs('alice', {response_limit: 3, builder: 'ssh://127.0.0.1:2222'}))

  it('rotates your token, saves the new one (other keys kept) and never prints it', async () => {
    const old = token('alice')
    const r = await runDeis(ctl, ['auth:regenerate'], {env: {DEIS_DEBUG: '1'}})
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr.endsWith('Token Regenerated\n')).toBe(true)
    expect(token('alice')).not.toBe(old)
    expect(r.stderr).not.toContain(token('alice'))
    expect(r.stderr).not.toContain(old)
    expect(saved()).toEqual({username: 'alice', ssl_verify: true, controller: ctl.url, token: token('alice'), response_limit: 3, builder: 'ssh://127.0.0.1:2222'})
    expect((await runDeis(ctl, ['apps:list'])).exitCode).toBe(0)
  })

  it("rotates another user's token as admin, leaving the profile alone", async () => {
    const bob = token('bob')
    const before = readFileSync(profile, 'utf8')
    const r = await runDeis(ctl, ['auth:regenerate', '-u', 'bob'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Token Regenerated\n'})
    expect(token('bob')).not.toBe(bob)
    expect(readFileSync(profile, 'utf8')).toBe(before)
  })

  it('rotates every token with --all, yours included', async () => {
    const [alice, bob] = [token('alice'), token('bob')]
    const r = await runDeis(ctl, ['auth:regenerate', '--all'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Token Regenerated\n'})
    expect(token('alice')).not.toBe(alice)
    expect(token('bob')).not.toBe(bob)
  })

  it('refuses --all together with --username (exit 2)', async () => {
    const r = await runDeis(ctl, ['auth:regenerate', '--all', '--username', 'bob'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('--username')
  })

  it('refuses a non-admin naming someone else', async () => {
    ctl.loginAs('bob')
    const alice = token('alice')
    const r = await runDeis(ctl, ['auth:regenerate', '--username', 'alice'])
    expect(r).toEqual({exitCode: 1, stdout: '', stderr: 'Error: You do not have permission to perform this action.\n'})
    expect(token('alice')).toBe(alice)
  })

  it('leaves the profile alone when DEIS_TOKEN did the asking', async () => {
    const before = readFileSync(profile, 'utf8')
    const r = await runDeis(ctl, ['auth:regenerate'], {env: {DEIS_TOKEN: token('bob')}})
    expect(r).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'DEIS_TOKEN no longer works: log in again and replace it (the new token is not printed)\nToken Regenerated\n',
    })
    expect(readFileSync(profile, 'utf8')).toBe(before)
  })
})
