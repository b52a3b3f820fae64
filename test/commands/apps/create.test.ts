import {afterEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {currentConfig, currentRelease} from '../../../src/controller/model/releases.js'
import {derivedUrl, gitRepo, plainDir, remoteLines, type Repo} from '../git/repo.js'
import {findUser} from '../../../src/controller/model/users.js'
import {appsVisibleTo, findApp} from '../../../src/controller/model/apps.js'

describe('apps:create', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['taken-app']})
  let repo: Repo
  afterEach(() => {
    repo?.close()
    ctl.loginAs('alice')
  })

  const appIds = () => appsVisibleTo(ctl.store, findUser(ctl.store, 'alice')!).map(a => a.id)

  it('creates a named app and adds the deis remote with the derived builder URL', async () => {
    repo = gitRepo()
    const r = await runDeis(ctl, ['apps:create', 'example-app'], {cwd: repo.dir})
    expect(r).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Creating Application... done, created example-app\nGit remote deis successfully created for app example-app.\n',
    })
    expect(findApp(ctl.store, 'example-app')?.owner).toBe('alice')
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('example-app')))
  })

  it('lets the controller name the app when no id is given (alias `create`)', async () => {
    repo = gitRepo()
    const before = appIds()
    const r = await runDeis(ctl, ['create'], {cwd: repo.dir})
    expect(r.exitCode).toBe(0)
    const created = appIds().filter(id => !before.includes(id))
    expect(created).toHaveLength(1)
    const id = created[0]!
    expect(id).toMatch(/^[a-z]+-[a-z]+$/)
    expect(r.stderr).toBe(`Creating Application... done, created ${id}\nGit remote deis successfully created for app ${id}.\n`)
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl(id)))
  })

  it('refuses a bad id before asking the controller and creates nothing', async () => {
    repo = gitRepo()
    const before = appIds()
    const r = await runDeis(ctl, ['apps:create', 'Bad_Name'], {cwd: repo.dir})
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('Error: "Bad_Name" cannot be an app name; use a-z, 0-9 and hyphens, starting with a letter and not ending with a hyphen, e.g. example-app\n')
    expect(appIds()).toEqual(before)
    expect(repo.remotes()).toBe('')
  })

  it('fails on a duplicate id and adds no remote', async () => {
    repo = gitRepo()
    const r = await runDeis(ctl, ['apps:create', 'taken-app'], {cwd: repo.dir})
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Creating Application... Error: id: Application with this id already exists; choose another name; `deis apps:list` shows the ones you can see\n',
    })
    expect(findApp(ctl.store, 'taken-app')?.owner).toBe('alice')
    expect(repo.remotes()).toBe('')
  })

  it('outside a git repository creates the app and says how to add the remote later', async () => {
    const dir = plainDir()
    const r = await runDeis(ctl, ['apps:create', 'outside-app'], {cwd: dir.dir})
    dir.close()
    expect(r).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Creating Application... done, created outside-app\nIf you want to add a git remote for this app later, use `deis git:remote -a outside-app`\n',
    })
    expect(findApp(ctl.store, 'outside-app')).toBeDefined()
  })

  it('adds no remote with --no-remote', async () => {
    repo = gitRepo()
    const r = await runDeis(ctl, ['apps:create', 'noremote-app', '--no-remote'], {cwd: repo.dir})
    expect(r).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Creating Application... done, created noremote-app\nIf you want to add a git remote for this app later, use `deis git:remote -a noremote-app`\n',
    })
    expect(findApp(ctl.store, 'noremote-app')).toBeDefined()
    expect(repo.remotes()).toBe('')
  })

  it('saves --buildpack as the BUILDPACK_URL config value', async () => {
    repo = gitRepo()
    const url = 'https://github.com/heroku/heroku-buildpack-nodejs'
    const r = await runDeis(ctl, ['apps:create', 'buildpack-app', '-b', url], {cwd: repo.dir})
    expect(r).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Creating Application... done, created buildpack-app\nGit remote deis successfully created for app buildpack-app.\n',
    })
    expect(currentConfig(ctl.store, 'buildpack-app').values).toEqual({BUILDPACK_URL: url})
    expect(currentRelease(ctl.store, 'buildpack-app').version).toBe(2)
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('buildpack-app')))
  })

  it('names the remote with -r', async () => {
    repo = gitRepo({origin: 'https://github.com/example/example-app.git'})
    const r = await runDeis(ctl, ['apps:create', 'staging-app', '-r', 'staging'], {cwd: repo.dir})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('Creating Application... done, created staging-app\nGit remote staging successfully created for app staging-app.\n')
    expect(repo.remotes()).toBe(remoteLines('origin', 'https://github.com/example/example-app.git') + remoteLines('staging', derivedUrl('staging-app')))
  })

  it('fails before creating the app when the remote name is taken', async () => {
    repo = gitRepo({deis: 'ssh://git@elsewhere.example.com:2222/old-app.git'})
    const r = await runDeis(ctl, ['apps:create', 'blocked-app'], {cwd: repo.dir})
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: A git remote with the name deis already exists. To overwrite this remote run:\n' + 'deis git:remote --force --remote deis --app blocked-app\n',
    })
    expect(findApp(ctl.store, 'blocked-app')).toBeUndefined()
    expect(repo.remotes()).toBe(remoteLines('deis', 'ssh://git@elsewhere.example.com:2222/old-app.git'))
  })

  it("uses the profile's builder address for the remote URL", async () => {
    ctl.loginAs('alice', {builder: 'ssh://builder.example.com:2223'})
    repo = gitRepo()
    const r = await runDeis(ctl, ['apps:create', 'builder-app'], {cwd: repo.dir})
    expect(r.exitCode).toBe(0)
    expect(repo.remotes()).toBe(remoteLines('deis', 'ssh://git@builder.example.com:2223/builder-app.git'))
  })

  it('prints the created app as JSON with --json', async () => {
    repo = gitRepo()
    const r = await runDeis(ctl, ['apps:create', 'json-app', '--json'], {cwd: repo.dir})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual(findApp(ctl.store, 'json-app'))
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('json-app')))
  })
})
