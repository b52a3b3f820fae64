import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {mintToken, userByToken} from '../../../src/controller/model/tokens.js'

describe('auth:regenerate', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']}, async () => {
    profile = join(ctl.home, '.deis', 'client.json')
  })
  let profile: string
  /** Who a token logs in as now, if anyone. */
  const owner = (token: string) => userByToken(ctl.store, token)?.username
  const saved = () => JSON.parse(readFileSync(profile, 'utf8')) as Record<string, unknown>
  beforeEach(() => ctl.loginAs('alice', {response_limit: 3, builder: 'ssh://127.0.0.1:2222'}))

  it('revokes every token of yours, saves the new one (other keys kept) and never prints it', async () => {
    const old = String(saved().token)
    const otherSession = mintToken(ctl.store, 'alice')
    const r = await runDeis(ctl, ['auth:regenerate'], {env: {DEIS_DEBUG: '1'}})
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr.endsWith('Token Regenerated\n')).toBe(true)
    const fresh = String(saved().token)
    expect(owner(fresh)).toBe('alice')
    expect([owner(old), owner(otherSession)]).toEqual([undefined, undefined])
    expect(r.stderr).not.toContain(fresh)
    expect(r.stderr).not.toContain(old)
    expect(saved()).toEqual({username: 'alice', ssl_verify: true, controller: ctl.url, token: fresh, response_limit: 3, builder: 'ssh://127.0.0.1:2222'})
    expect(owner(ctl.tokens.bob!)).toBe('bob')
    expect((await runDeis(ctl, ['apps:list'])).exitCode).toBe(0)
  })

  it("rotates another user's token as admin, leaving the profile alone", async () => {
    const bob = mintToken(ctl.store, 'bob')
    const before = readFileSync(profile, 'utf8')
    const r = await runDeis(ctl, ['auth:regenerate', '-u', 'bob'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Token Regenerated\n'})
    expect(owner(bob)).toBeUndefined()
    expect(owner(String(saved().token))).toBe('alice')
    expect(readFileSync(profile, 'utf8')).toBe(before)
  })

  it('rotates every token with --all, yours included', async () => {
    const [alice, bob] = [String(saved().token), mintToken(ctl.store, 'bob')]
    const r = await runDeis(ctl, ['auth:regenerate', '--all'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Token Regenerated\n'})
    expect([owner(alice), owner(bob)]).toEqual([undefined, undefined])
  })

  it('refuses --all together with --username (exit 2)', async () => {
    const r = await runDeis(ctl, ['auth:regenerate', '--all', '--username', 'bob'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('--username')
  })

  it('refuses a non-admin naming someone else', async () => {
    const alice = mintToken(ctl.store, 'alice')
    ctl.loginAs('bob', {token: mintToken(ctl.store, 'bob')})
    const r = await runDeis(ctl, ['auth:regenerate', '--username', 'alice'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: You do not have permission to perform this action; this needs an admin account; ask an admin of the controller\n',
    })
    expect(owner(alice)).toBe('alice')
  })

  it('leaves the profile alone when DEIS_TOKEN did the asking', async () => {
    const before = readFileSync(profile, 'utf8')
    const bob = mintToken(ctl.store, 'bob')
    const r = await runDeis(ctl, ['auth:regenerate'], {env: {DEIS_TOKEN: bob}})
    expect(r).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'DEIS_TOKEN no longer works: log in again and replace it (the new token is not printed)\nToken Regenerated\n',
    })
    expect(readFileSync(profile, 'utf8')).toBe(before)
  })
})
