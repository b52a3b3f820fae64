import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'

describe('auth:login --token and DEIS_TOKEN, for CI', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']})
  const home = mkdtempSync(join(tmpdir(), 'deis-login-token-'))
  afterAll(() => rmSync(home, {recursive: true, force: true}))

  it('logs in with a token, asking the controller whose it is, without printing it', async () => {
    const token = ctl.tokens.bob!
    const path = join(home, '.deis', 'client.json')
    const r = await runDeis(home, ['login', ctl.url, '--token', token])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: `Logged in as bob\nConfiguration file written to ${path}\n`})
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({username: 'bob', ssl_verify: true, controller: ctl.url, token, response_limit: 0})
    expect(await runDeis(home, ['whoami'])).toMatchObject({exitCode: 0, stdout: `You are bob at ${ctl.url}\n`})
  })

  it('refuses a bad token with the auth exit code, writing nothing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'deis-login-token-'))
    try {
      const r = await runDeis(other, ['login', ctl.url, '--token', 'not-a-token'])
      expect(r.exitCode).toBe(4)
      expect(r.stderr).toMatch(/^Error: Invalid token/)
      expect(r.stderr).not.toContain('not-a-token')
      expect((await runDeis(other, ['whoami'])).exitCode).toBe(4)
    } finally {
      rmSync(other, {recursive: true, force: true})
    }
  })

  it('takes DEIS_TOKEN over the profile token on any command', async () => {
    const r = await runDeis(ctl, ['auth:whoami', '--all', '--json'], {env: {DEIS_TOKEN: ctl.tokens.bob!}})
    expect(JSON.parse(r.stdout)).toMatchObject({username: 'bob'})
  })

  it('refuses --token together with --password', async () => {
    const r = await runDeis(home, ['login', ctl.url, '--token', 'x', '--password', 'y'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('--token')
  })
})
