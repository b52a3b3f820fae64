import {afterEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {derivedUrl, gitRepo, plainDir, remoteLines, type Repo} from './repo.js'

describe('git:remote', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app']})
  let repo: Repo
  afterEach(() => repo?.close())

  it('adds the deis remote for the app', async () => {
    repo = gitRepo({origin: 'https://github.com/example/example-app.git'})
    const r = await runDeis(ctl, ['git:remote', '--app', 'example-app'], {cwd: repo.dir})
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Git remote deis successfully created for app example-app.\n'})
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('example-app')) + remoteLines('origin', 'https://github.com/example/example-app.git'))
  })

  it('adds a remote of another name with -r', async () => {
    repo = gitRepo()
    const r = await runDeis(ctl, ['git:remote', '-a', 'example-app', '-r', 'staging'], {cwd: repo.dir})
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Git remote staging successfully created for app example-app.\n'})
    expect(repo.remotes()).toBe(remoteLines('staging', derivedUrl('example-app')))
  })

  it('says so when the remote is already correct', async () => {
    repo = gitRepo({deis: derivedUrl('example-app')})
    const r = await runDeis(ctl, ['git:remote', '-a', 'example-app'], {cwd: repo.dir})
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Remote deis already exists and is correctly configured for app example-app.\n'})
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('example-app')))
  })

  it('refuses a remote pointing elsewhere without --force, showing both URLs', async () => {
    repo = gitRepo({deis: derivedUrl('old-app')})
    const r = await runDeis(ctl, ['git:remote', '-a', 'example-app'], {cwd: repo.dir})
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        "Error: Remote deis already exists, please run 'deis git:remote -f' to overwrite\n" +
        `Existing remote URL: ${derivedUrl('old-app')}\n` +
        `When forced, will overwrite with: ${derivedUrl('example-app')}\n`,
    })
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('old-app')))
  })

  it('overwrites a remote pointing elsewhere with -f', async () => {
    repo = gitRepo({deis: derivedUrl('old-app')})
    const r = await runDeis(ctl, ['git:remote', '-a', 'example-app', '-f'], {cwd: repo.dir})
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Deleting git remote deis.\nGit remote deis successfully created for app example-app.\n'})
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('example-app')))
  })

  it('fails outside a git repository', async () => {
    const dir = plainDir()
    const r = await runDeis(ctl, ['git:remote', '-a', 'example-app'], {cwd: dir.dir})
    dir.close()
    expect(r).toEqual({exitCode: 1, stdout: '', stderr: "Error: not a git repository; run it inside the app's git repository, or `git init` one first\n"})
  })

  it('needs no controller: only the profile is read', async () => {
    repo = gitRepo()
    ctl.loginAs('alice', {controller: 'http://127.0.0.1:9'})
    const r = await runDeis(ctl, ['git:remote', '-a', 'example-app'], {cwd: repo.dir})
    ctl.loginAs('alice')
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Git remote deis successfully created for app example-app.\n'})
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('example-app')))
  })
})
