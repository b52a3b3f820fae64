import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {runDeis, type RunResult} from '../../helpers/run.js'
import {runOnTty} from '../../helpers/tty.js'
import {derivedUrl, gitRepo, remoteLines, type Repo} from '../git/repo.js'
import {findApp} from '../../../src/controller/model/apps.js'
import {createApp} from '../../../src/controller/model/app-lifecycle.js'

/** The run with its elapsed seconds blanked (`done in Ns`), so the rest of stderr is compared exactly. */
const settled = (r: RunResult) => ({...r, stderr: r.stderr.replace(/\.\.\. done in \d+s\n/, '... done in Ns\n')})

describe('apps:destroy', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['kept-app', 'gone-app', 'remote-app', 'flag-app', 'env-app', 'locked-app']})
  let repo: Repo | undefined
  afterEach(() => {
    repo?.close()
    repo = undefined
    ctl.loginAs('alice')
  })

  it('destroys the app named by --app when --confirm matches', async () => {
    const r = await runDeis(ctl, ['apps:destroy', '--app', 'gone-app', '--confirm', 'gone-app'])
    expect(settled(r)).toEqual({exitCode: 0, stdout: '', stderr: 'Destroying gone-app... done in Ns\n'})
    expect(findApp(ctl.store, 'gone-app')).toBeUndefined()
  })

  it('on a terminal, warns and destroys the app once its name is typed', async () => {
    createApp(ctl.store, 'tty-app', 'alice')
    const r = await runOnTty(ctl.home, ['apps:destroy', '-a', 'tty-app'], [['>', 'tty-app\r']])
    expect(r.exitCode).toBe(0)
    expect(r.screen).toContain(
      ' !    WARNING: Potentially Destructive Action\r\n !    This command will destroy the application: tty-app\r\n' +
        ' !    To proceed, type "tty-app" or re-run this command with --confirm=tty-app\r\n',
    )
    expect(r.screen).toMatch(/Destroying tty-app\.\.\. [\s\S]*done in \d+s/)
    expect(findApp(ctl.store, 'tty-app')).toBeUndefined()
  })

  it('on a terminal, keeps the app when another name is typed', async () => {
    const r = await runOnTty(ctl.home, ['apps:destroy', '-a', 'kept-app'], [['>', 'nope\r']])
    expect(r.exitCode).toBe(130)
    expect(r.screen).toContain('Error: App kept-app does not match confirm nope, aborting.')
    expect(r.screen).not.toContain('Destroying')
    expect(findApp(ctl.store, 'kept-app')).toBeDefined()
  })

  it('refuses a --confirm that names another app and keeps the app', async () => {
    const r = await runDeis(ctl, ['destroy', '-a', 'kept-app', '--confirm=other-app'])
    expect(r).toEqual({exitCode: 130, stdout: '', stderr: 'Error: App kept-app does not match confirm other-app, aborting.\n'})
    expect(findApp(ctl.store, 'kept-app')).toBeDefined()
  })

  it('exits 2 naming --confirm when there is no terminal to prompt on', async () => {
    const r = await runDeis(ctl, ['apps:destroy', '--app', 'kept-app'], {input: 'kept-app\n'})
    expect(r).toEqual({exitCode: 2, stdout: '', stderr: 'Error: no terminal to prompt on; pass --confirm=kept-app\n'})
    expect(findApp(ctl.store, 'kept-app')).toBeDefined()
  })

  it('passes on the 403 for a stranger and keeps the app', async () => {
    ctl.loginAs('bob')
    const r = await runDeis(ctl, ['apps:destroy', '--app', 'kept-app', '--confirm', 'kept-app'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Destroying kept-app... Error: You do not have permission to perform this action; ask the owner of kept-app or an admin to give you access (`deis perms:create <username> -a kept-app`)\n',
    })
    expect(findApp(ctl.store, 'kept-app')).toBeDefined()
  })

  it('removes the git remotes of an app it found through the remote', async () => {
    repo = gitRepo({deis: derivedUrl('remote-app'), origin: 'https://github.com/example/remote-app.git', staging: 'ssh://git@127-builder.0.0.1:2222/remote-app'})
    const r = await runDeis(ctl, ['apps:destroy', '--confirm', 'remote-app'], {cwd: repo.dir})
    expect(settled(r)).toEqual({exitCode: 0, stdout: '', stderr: 'Destroying remote-app... done in Ns\nGit remotes for app remote-app removed.\n'})
    expect(findApp(ctl.store, 'remote-app')).toBeUndefined()
    expect(repo.remotes()).toBe(remoteLines('origin', 'https://github.com/example/remote-app.git'))
  })

  it('still succeeds, with a warning, when git cannot remove the remote', async () => {
    repo = gitRepo({deis: derivedUrl('locked-app')})
    writeFileSync(join(repo.dir, '.git', 'config.lock'), '')
    const r = await runDeis(ctl, ['apps:destroy', '--confirm', 'locked-app'], {cwd: repo.dir})
    expect(settled(r)).toEqual({
      exitCode: 0,
      stdout: '',
      stderr:
        'Destroying locked-app... done in Ns\n' +
        "Warning: app locked-app was destroyed but its git remotes were not removed: Error when running 'git remote remove deis'\n" +
        'error: could not lock config file .git/config\n' +
        "error: Could not remove config section 'remote.deis'\n",
    })
    expect(findApp(ctl.store, 'locked-app')).toBeUndefined()
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('locked-app')))
  })

  it('leaves the git remotes alone when the app was named with --app', async () => {
    repo = gitRepo({deis: derivedUrl('flag-app')})
    const r = await runDeis(ctl, ['apps:destroy', '--app', 'flag-app', '--confirm', 'flag-app'], {cwd: repo.dir})
    expect(settled(r)).toEqual({exitCode: 0, stdout: '', stderr: 'Destroying flag-app... done in Ns\n'})
    expect(findApp(ctl.store, 'flag-app')).toBeUndefined()
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('flag-app')))
  })

  it('leaves the git remotes alone when the app came from DEIS_APP', async () => {
    repo = gitRepo({deis: derivedUrl('kept-app')})
    const r = await runDeis(ctl, ['apps:destroy', '--confirm', 'env-app'], {cwd: repo.dir, env: {DEIS_APP: 'env-app'}})
    expect(settled(r)).toEqual({exitCode: 0, stdout: '', stderr: 'Destroying env-app... done in Ns\n'})
    expect(findApp(ctl.store, 'env-app')).toBeUndefined()
    expect(findApp(ctl.store, 'kept-app')).toBeDefined()
    expect(repo.remotes()).toBe(remoteLines('deis', derivedUrl('kept-app')))
  })
})
