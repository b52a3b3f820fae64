import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {userByToken} from '../../../src/controller/model/tokens.js'

describe('auth:logout', () => {
  const ctl = useTestController({users: ['alice']})

  it('removes the profile, keeps the token valid on the controller, and is fine when already logged out', async () => {
    const token = ctl.tokens.alice!
    const path = join(ctl.home, '.deis', 'client.json')
    expect(await runDeis(ctl, ['logout'])).toEqual({exitCode: 0, stdout: '', stderr: 'Logged out\n'})
    expect(existsSync(path)).toBe(false)
    expect(userByToken(ctl.store, token)?.username).toBe('alice')
    expect(await runDeis(ctl, ['auth:logout'])).toEqual({exitCode: 0, stdout: '', stderr: 'Logged out\n'})
    const after = await runDeis(ctl, ['apps:list'])
    expect(after.exitCode).toBe(4)
  })

  it('removes only the profile chosen with -c', async () => {
    ctl.loginAs('alice')
    const r0 = await runDeis(ctl, ['login', ctl.url, '--username', 'alice', '--password', 'alicepw', '-c', 'staging'])
    expect(r0.exitCode).toBe(0)
    expect(await runDeis(ctl, ['-c', 'staging', 'logout'])).toEqual({exitCode: 0, stdout: '', stderr: 'Logged out\n'})
    expect(existsSync(join(ctl.home, '.deis', 'staging.json'))).toBe(false)
    expect(JSON.parse(readFileSync(join(ctl.home, '.deis', 'client.json'), 'utf8')).username).toBe('alice')
  })
})
