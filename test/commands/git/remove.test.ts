import {afterEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {derivedUrl, gitRepo, remoteLines, type Repo} from './repo.js'
import {findApp} from '../../../src/controller/model/apps.js'

describe('git:remove', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app']})
  let repo: Repo
  afterEach(() => repo?.close())

  it('removes every remote of the app and keeps the others', async () => {
    repo = gitRepo({
      deis: derivedUrl('example-app'),
      origin: 'https://github.com/example/example-app.git',
      other: derivedUrl('other-app'),
      staging: derivedUrl('example-app'),
    })
    const r = await runDeis(ctl, ['git:remove', '--app', 'example-app'], {cwd: repo.dir})
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Git remotes for app example-app removed.\n'})
    expect(repo.remotes()).toBe(remoteLines('origin', 'https://github.com/example/example-app.git') + remoteLines('other', derivedUrl('other-app')))
    expect(findApp(ctl.store, 'example-app')).toBeDefined()
  })

  it('fails when no remote names the app', async () => {
    repo = gitRepo({other: derivedUrl('other-app')})
    const r = await runDeis(ctl, ['git:remove', '-a', 'example-app'], {cwd: repo.dir})
    expect(r).toEqual({exitCode: 1, stdout: '', stderr: "Error: Could not find remote matching app in 'git remote -v'\n"})
    expect(repo.remotes()).toBe(remoteLines('other', derivedUrl('other-app')))
  })

  it('finds the app from the remote itself', async () => {
    repo = gitRepo({deis: derivedUrl('example-app')})
    const r = await runDeis(ctl, ['git:remove'], {cwd: repo.dir})
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Git remotes for app example-app removed.\n'})
    expect(repo.remotes()).toBe('')
  })
})
