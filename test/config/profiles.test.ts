import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {useTestController} from '../helpers/controller.js'
import {runDeis} from '../helpers/run.js'
import {userByToken} from '../../src/controller/model/tokens.js'

/** Which profile a command uses: -c <name>, -c <path>.json, DEIS_PROFILE, DEIS_TOKEN, and broken files. */
describe('profile selection', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']})
  const login = (user: string, ...extra: string[]) => runDeis(ctl, ['login', ctl.url, '--username', user, '--password', `${user}pw`, ...extra])
  beforeEach(() => ctl.loginAs('alice'))

  it('-c <name> writes and reads ~/.deis/<name>.json, before or after the command', async () => {
    const path = join(ctl.home, '.deis', 'staging.json')
    const r = await login('bob', '-c', 'staging')
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: `Logged in as bob\nConfiguration file written to ${path}\n`})
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(await runDeis(ctl, ['-c', 'staging', 'whoami'])).toEqual({exitCode: 0, stdout: `You are bob at ${ctl.url}\n`, stderr: `Profile ${path}: -c/--config staging\n`})
    expect(await runDeis(ctl, ['whoami', '--config=staging'])).toMatchObject({exitCode: 0, stdout: `You are bob at ${ctl.url}\n`})
    expect(await runDeis(ctl, ['whoami'])).toMatchObject({exitCode: 0, stdout: `You are alice at ${ctl.url}\n`})
  })

  it('-c <path>.json uses that file, relative to the working directory, and still makes ~/.deis 0700', async () => {
    const dir = join(ctl.home, 'ci')
    mkdirSync(dir)
    const r = await runDeis(ctl, ['login', ctl.url, '--username', 'bob', '--password', 'bobpw', '-c', 'ci/bob.json'], {cwd: ctl.home})
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: `Logged in as bob\nConfiguration file written to ${join(dir, 'bob.json')}\n`})
    expect(JSON.parse(readFileSync(join(dir, 'bob.json'), 'utf8'))).toMatchObject({username: 'bob'})
    expect(userByToken(ctl.store, JSON.parse(readFileSync(join(dir, 'bob.json'), 'utf8')).token)?.username).toBe('bob')
    expect(statSync(join(dir, 'bob.json')).mode & 0o777).toBe(0o600)
    expect(statSync(join(ctl.home, '.deis')).mode & 0o777).toBe(0o700)
    expect((await runDeis(ctl, ['whoami', '-c', join(dir, 'bob.json')])).stdout).toBe(`You are bob at ${ctl.url}\n`)
  })

  it('DEIS_PROFILE names the profile, and -c wins over it', async () => {
    await login('bob', '-c', 'prod')
    expect((await runDeis(ctl, ['whoami'], {env: {DEIS_PROFILE: 'prod'}})).stdout).toBe(`You are bob at ${ctl.url}\n`)
    expect((await runDeis(ctl, ['whoami', '-c', 'client'], {env: {DEIS_PROFILE: 'prod'}})).stdout).toBe(`You are alice at ${ctl.url}\n`)
  })

  it('DEIS_TOKEN overrides the stored token', async () => {
    ctl.loginAs('alice', {token: 'stale'})
    const stale = await runDeis(ctl, ['apps:list'])
    expect(stale).toEqual({exitCode: 4, stdout: '', stderr: `Error: Invalid token; log in again with \`deis login ${ctl.url}\`\n`})
    const r = await runDeis(ctl, ['apps:list'], {env: {DEIS_TOKEN: ctl.tokens.alice!}})
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\nexample-app\n', stderr: ''})
  })

  it('exits 4 when there is no profile, naming the path', async () => {
    const r = await runDeis(ctl, ['apps:list', '-c', 'nobody'])
    expect(r).toEqual({
      exitCode: 4,
      stdout: '',
      stderr: `Error: client configuration file not found at ${join(ctl.home, '.deis', 'nobody.json')}; are you logged in? Use 'deis login' or 'deis register' to get started\n`,
    })
  })

  it('exits 2 on a profile that is not JSON; login replaces it and logout removes it', async () => {
    const path = join(ctl.home, '.deis', 'broken.json')
    writeFileSync(path, '{"username": "alice",', {mode: 0o600})
    const r = await runDeis(ctl, ['whoami', '-c', 'broken'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(new RegExp(`^Error: profile ${path} is not valid JSON \\(.*\\); fix the file, or remove it and run \`deis login <controller>\`\\n$`))
    expect((await login('bob', '-c', 'broken')).exitCode).toBe(0)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({username: 'bob', controller: ctl.url})
    writeFileSync(path, 'not json', {mode: 0o600})
    expect(await runDeis(ctl, ['logout', '-c', 'broken'])).toEqual({exitCode: 0, stdout: '', stderr: 'Logged out\n'})
    expect(existsSync(path)).toBe(false)
  })
})
