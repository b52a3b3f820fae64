import {describe, expect, it} from 'vitest'
import {findRelease, listReleases} from '../../../src/controller/model/releases.js'
import {useTestController} from '../../helpers/controller.js'
import {callApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'

describe('releases:*', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']})
  const count = () => listReleases(ctl.store, 'example-app').length

  it('rollback on a fresh app passes the controller refusal through', async () => {
    expect(await runDeis(ctl, ['rollback', '-a', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Rolling back one release... Error: version cannot be below 0; there is no earlier release to go back to; `deis releases:list -a example-app` shows them\n',
    })
    expect(count()).toBe(1)
  })

  it('releases (bare topic) lists tab-aligned rows newest first', async () => {
    await callApi(ctl, 'POST', '/v2/apps/example-app/config', {values: {FOO: 'bar'}})
    await callApi(ctl, 'POST', '/v2/apps/example-app/builds', {image: 'deis/example-go'})
    const all = listReleases(ctl.store, 'example-app')
    const r = await runDeis(ctl, ['releases', '-a', 'example-app'])
    expect(r).toEqual({
      exitCode: 0,
      stdout: [
        '=== example-app Releases',
        `v3\t${all[0]!.created}\talice deployed deis/example-go`,
        `v2\t${all[1]!.created}\talice added FOO`,
        `v1\t${all[2]!.created}\talice created initial release`,
        '',
      ].join('\n'),
      stderr: '',
    })
    expect((await runDeis(ctl, ['releases:list', '-l', '1', '-a', 'example-app'])).stdout).toBe(
      `=== example-app Releases (1 of 3)\nv3\t${all[0]!.created}\talice deployed deis/example-go\n`,
    )
  })

  it('releases:info takes v3 or 3 and omits build: when there is none', async () => {
    const v3 = findRelease(ctl.store, 'example-app', 3)!
    expect(await runDeis(ctl, ['releases:info', 'v3', '-a', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: [
        '=== example-app Release v3',
        `build:    ${v3.build}`,
        `config:   ${v3.config}`,
        'owner:    alice',
        `created:  ${v3.created}`,
        'summary:  alice deployed deis/example-go',
        `updated:  ${v3.updated}`,
        `uuid:     ${v3.uuid}`,
        '',
      ].join('\n'),
      stderr: '',
    })
    const v1 = await runDeis(ctl, ['releases:info', '1', '-a', 'example-app'])
    expect(v1.stdout).toMatch(/^=== example-app Release v1\nconfig: {3}/)
    expect(JSON.parse((await runDeis(ctl, ['releases:info', '2', '--json', '-a', 'example-app'])).stdout)).toMatchObject({version: 2, summary: 'alice added FOO'})
  })

  it('releases:info exits 2 on a malformed version and 1 on an unknown one', async () => {
    expect(await runDeis(ctl, ['releases:info', 'v', '-a', 'example-app'])).toEqual({exitCode: 2, stdout: '', stderr: "Error: v is not in the form 'v#'; ex: v3 or 3\n"})
    expect(await runDeis(ctl, ['releases:info', 'v9', '-a', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No Release matches the given query; check the name with `deis releases:list -a example-app`\n',
    })
  })

  it('rollback to a version and to the previous one', async () => {
    await callApi(ctl, 'POST', '/v2/apps/example-app/config', {values: {FOO: 'baz'}}) // v4
    expect(await runDeis(ctl, ['releases:rollback', 'v1', '-a', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Rolling back to v1... Error: Cannot roll back to initial release; there is no earlier release to go back to; `deis releases:list -a example-app` shows them\n',
    })
    expect(await runDeis(ctl, ['rollback', '-a', 'example-app'])).toEqual({exitCode: 0, stdout: '', stderr: 'Rolling back one release... done, v5\n'})
    expect(findRelease(ctl.store, 'example-app', 5)).toMatchObject({summary: 'alice rolled back to v3', build: findRelease(ctl.store, 'example-app', 3)!.build})
    expect(JSON.parse((await runDeis(ctl, ['rollback', '4', '--json', '-a', 'example-app'])).stdout)).toEqual({version: 6})
  })

  it('answers 404 and 403', async () => {
    expect((await runDeis(ctl, ['releases', '-a', 'nope'])).stderr).toBe('Error: No App matches the given query; check the app name with `deis apps:list`\n')
    ctl.loginAs('bob')
    expect(await runDeis(ctl, ['rollback', '-a', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Rolling back one release... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    })
    ctl.loginAs('alice')
    expect(count()).toBe(6)
  })
})
