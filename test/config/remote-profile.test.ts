import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {gitRepo, type Repo} from '../commands/git/repo.js'
import {startTestController, type TestController} from '../helpers/controller.js'
import {runDeis} from '../helpers/run.js'

describe('the profile chosen from the git remote', () => {
  let a: TestController
  let b: TestController
  let repo: Repo
  let builderB: string
  beforeAll(async () => {
    a = await startTestController({users: ['alice'], apps: ['a-app']})
    b = await startTestController({users: ['bob'], apps: ['b-app']})
    // controller B's builder, as a local controller records it in the profile (never connected to here)
    builderB = `127.0.0.1:${new URL(b.url).port}`
    const profile = {username: 'bob', ssl_verify: true, controller: b.url, token: b.tokens.bob, response_limit: 0, builder: `ssh://${builderB}`}
    writeFileSync(join(a.home, '.deis', 'b.json'), JSON.stringify(profile), {mode: 0o600})
    writeFileSync(
      join(a.home, '.deis', 'c.json'),
      JSON.stringify({username: 'carol', ssl_verify: true, controller: 'https://deis.c.example', token: 'x', response_limit: 0}),
      {mode: 0o600},
    )
    repo = gitRepo({deis: `ssh://git@${builderB}/b-app.git`})
  })
  afterAll(async () => {
    repo.close()
    await Promise.all([a.close(), b.close()])
  })

  it('talks to the controller whose builder the "deis" remote points at', async () => {
    expect(await runDeis(a, ['apps'])).toEqual({exitCode: 0, stdout: '=== Apps\na-app\n', stderr: ''})
    expect(await runDeis(a, ['apps'], {cwd: repo.dir})).toEqual({exitCode: 0, stdout: '=== Apps\nb-app\n', stderr: ''})
    const info = await runDeis(a, ['info'], {cwd: repo.dir})
    expect(info.exitCode).toBe(0)
    expect(info.stdout).toContain('=== b-app Application')
  })

  it('whoami says which profile and why', async () => {
    expect(await runDeis(a, ['whoami'], {cwd: repo.dir})).toEqual({
      exitCode: 0,
      stdout: `You are bob at ${b.url}\n`,
      stderr: `Profile ${join(a.home, '.deis', 'b.json')}: the git remote "deis" points at its builder ${builderB}\n`,
    })
    const json = JSON.parse((await runDeis(a, ['whoami', '--json'], {cwd: repo.dir})).stdout)
    expect(json).toEqual({
      username: 'bob',
      controller: b.url,
      profile: join(a.home, '.deis', 'b.json'),
      profile_reason: `the git remote "deis" points at its builder ${builderB}`,
    })
  })

  it('-c and DEIS_PROFILE still win over the remote', async () => {
    expect((await runDeis(a, ['apps', '-c', 'client'], {cwd: repo.dir})).stdout).toBe('=== Apps\na-app\n')
    const env = await runDeis(a, ['whoami'], {cwd: repo.dir, env: {DEIS_PROFILE: 'client'}})
    expect(env).toEqual({exitCode: 0, stdout: `You are alice at ${a.url}\n`, stderr: `Profile ${join(a.home, '.deis', 'client.json')}: DEIS_PROFILE=client\n`})
  })

  it('matches deis-builder.<domain> to a profile on deis.<domain> without a recorded builder', async () => {
    const other = gitRepo({deis: 'ssh://git@deis-builder.c.example:2222/c-app.git'})
    try {
      const r = await runDeis(a, ['whoami'], {cwd: other.dir})
      expect(r.stdout).toBe('You are carol at https://deis.c.example\n')
      expect(r.stderr).toBe(`Profile ${join(a.home, '.deis', 'c.json')}: the git remote "deis" points at its builder deis-builder.c.example:2222\n`)
    } finally {
      other.close()
    }
  })

  it('leaves the default profile alone when the remote matches no profile, or is not named deis', async () => {
    const stray = gitRepo({deis: 'ssh://git@elsewhere.example:2222/x.git', origin: `ssh://git@${builderB}/b-app.git`})
    try {
      expect((await runDeis(a, ['apps'], {cwd: stray.dir})).stdout).toBe('=== Apps\na-app\n')
    } finally {
      stray.close()
    }
  })
})
