import {describe, expect, it} from 'vitest'
import {listBuilds} from '../../../src/controller/model/builds.js'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {findApp} from '../../../src/controller/model/apps.js'

describe('builds:*', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']})

  it('builds (bare topic) shows only the header before any build', async () => {
    expect(await runDeis(ctl, ['builds', '-a', 'example-app'])).toEqual({exitCode: 0, stdout: '=== example-app Builds\n', stderr: ''})
  })

  it('pull (builds:create) deploys an image with a YAML procfile', async () => {
    const r = await runDeis(ctl, ['pull', 'deis/example-go:latest', '--procfile', 'web: ./server\nworker: "./worker --fast"', '-a', 'example-app'])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Creating build... done\n'})
    expect(listBuilds(ctl.store, 'example-app')).toMatchObject([{image: 'deis/example-go:latest', procfile: {web: './server', worker: './worker --fast'}}])
    expect(findApp(ctl.store, 'example-app')!.structure).toEqual({web: 1})
  })

  it('builds:create --json returns the build; builds:list shows uuid and created, newest first, N of M', async () => {
    const r = await runDeis(ctl, ['builds:create', 'deis/example-go:v2', '--json', '-a', 'example-app'])
    const build = JSON.parse(r.stdout)
    expect(build).toMatchObject({app: 'example-app', image: 'deis/example-go:v2', procfile: {}, sha: ''})
    expect(await runDeis(ctl, ['builds:list', '--limit', '1', '-a', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: `=== example-app Builds (1 of 2)\n${build.uuid} ${build.created}\n`,
      stderr: '',
    })
    expect(JSON.parse((await runDeis(ctl, ['builds', '--limit', '1', '--all', '--json', '-a', 'example-app'])).stdout).results).toHaveLength(2)
  })

  it('rejects a malformed procfile with exit 2 and sends nothing', async () => {
    expect(await runDeis(ctl, ['pull', 'x:1', '-p', 'Web ./server', '-a', 'example-app'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: invalid procfile entry "Web ./server"; expected <type>: <command>, ex: --procfile "web: ./server"\n',
    })
    expect(listBuilds(ctl.store, 'example-app')).toHaveLength(2)
  })

  it('answers 404, 403 and the controller field errors', async () => {
    expect(await runDeis(ctl, ['builds', '-a', 'nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No App matches the given query; check the app name with `deis apps:list`\n',
    })
    expect((await runDeis(ctl, ['pull', ' ', '-a', 'example-app'])).stderr).toBe(
      'Creating build... Error: image: This field may not be blank; check what you gave; `deis help builds` shows the usage\n',
    )
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['pull', 'x:1', '-a', 'example-app'])).stderr).toBe(
      'Creating build... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    )
    ctl.loginAs('alice')
    expect(listBuilds(ctl.store, 'example-app')).toHaveLength(2)
  })
})
