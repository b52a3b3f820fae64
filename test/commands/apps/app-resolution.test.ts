import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {derivedUrl, gitRepo, plainDir, type Repo} from '../git/repo.js'

const NO_APP = 'Error: no app given and none found in a git remote here; pass --app <app>, set DEIS_APP, or add the remote with `deis git:remote --app <app>`\n'

// `apps:transfer alice` by alice changes nothing and names the app it chose in its progress line.
const chosen = (app: string) => ({exitCode: 0, stdout: '', stderr: `Transferring ${app} to alice... done\n`})

describe('choosing the app: --app, then DEIS_APP, then the git remote', () => {
  const ctl = useTestController({users: ['alice'], apps: ['flag-app', 'env-app', 'remote-app', 'example-app', 'second-app']})
  let repo: Repo | undefined
  afterEach(() => {
    repo?.close()
    repo = undefined
    ctl.loginAs('alice')
  })

  it('-a beats DEIS_APP and the remote', async () => {
    repo = gitRepo({deis: derivedUrl('remote-app')})
    const r = await runDeis(ctl, ['apps:transfer', 'alice', '-a', 'flag-app'], {cwd: repo.dir, env: {DEIS_APP: 'env-app'}})
    expect(r).toEqual(chosen('flag-app'))
  })

  it('DEIS_APP beats the remote', async () => {
    repo = gitRepo({deis: derivedUrl('remote-app')})
    const r = await runDeis(ctl, ['apps:transfer', 'alice'], {cwd: repo.dir, env: {DEIS_APP: 'env-app'}})
    expect(r).toEqual(chosen('env-app'))
  })

  it('takes the first remote pointing at this controller, whatever its name, from a subdirectory too', async () => {
    repo = gitRepo({
      aaa: 'ssh://git@deis-builder.example.com:2222/elsewhere-app.git',
      origin: 'https://github.com/example/example-app.git',
      prod: derivedUrl('remote-app'),
      zzz: derivedUrl('second-app'),
    })
    const sub = join(repo.dir, 'src')
    mkdirSync(sub)
    const r = await runDeis(ctl, ['apps:transfer', 'alice'], {cwd: sub})
    expect(r).toEqual(chosen('remote-app'))
  })

  it("matches remotes against the profile's builder address when it sets one", async () => {
    ctl.loginAs('alice', {builder: 'ssh://builder.example.com:2223'})
    repo = gitRepo({deis: derivedUrl('remote-app'), other: 'ssh://git@builder.example.com:2223/second-app.git'})
    const r = await runDeis(ctl, ['apps:transfer', 'alice'], {cwd: repo.dir})
    expect(r).toEqual(chosen('second-app'))
  })

  it('exits 2 saying how to name an app outside a git repository, without guessing from the directory name', async () => {
    const dir = plainDir('example-app')
    const r = await runDeis(ctl, ['apps:transfer', 'alice'], {cwd: dir.dir})
    dir.close()
    expect(r).toEqual({exitCode: 2, stdout: '', stderr: NO_APP})
  })

  it('exits 2 in a repository with no remote for this controller', async () => {
    repo = gitRepo({origin: 'https://github.com/example/example-app.git'}, 'example-app')
    const r = await runDeis(ctl, ['apps:transfer', 'alice'], {cwd: repo.dir})
    expect(r).toEqual({exitCode: 2, stdout: '', stderr: NO_APP})
  })
})
