import {describe, expect, it} from 'vitest'
import {createExampleApp, useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {latestSettings} from '../../../src/controller/model/settings.js'

describe('labels:list, labels:set, labels:unset', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, createExampleApp)
  const label = () => latestSettings(ctl.store, 'example-app').label

  it('lists no labels, sets some (values may hold "="), lists them aligned', async () => {
    expect(await runDeis(ctl, ['labels', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: '=== example-app Label\nNo labels found.\n', stderr: ''})
    expect(await runDeis(ctl, ['labels:set', 'team=frontend', 'git_repo=https://x.example/r?a=b', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Applying labels on example-app... done\n',
    })
    expect(label()).toEqual({team: 'frontend', git_repo: 'https://x.example/r?a=b'})
    expect((await runDeis(ctl, ['labels:list', '--app', 'example-app'])).stdout).toBe(
      '=== example-app Label\ngit_repo:      https://x.example/r?a=b\nteam:          frontend\n',
    )
  })

  it('unsets labels; an absent one is refused by the controller', async () => {
    expect((await runDeis(ctl, ['labels:unset', 'git_repo', '--app', 'example-app'])).stderr).toBe('Removing labels on example-app... done\n')
    expect(label()).toEqual({team: 'frontend'})
    expect(await runDeis(ctl, ['labels:unset', 'nope', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Removing labels on example-app... Error: nope does not exist under label\n',
    })
  })

  it('refuses malformed pairs before calling the controller, and strangers', async () => {
    const r = await runDeis(ctl, ['labels:set', 'team', '--app', 'example-app'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('team is invalid, Must be in format key=value')
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['labels:set', 'a=b', '--app', 'example-app'])).stderr).toBe(
      'Applying labels on example-app... Error: You do not have permission to perform this action.\n',
    )
    ctl.loginAs('alice')
    expect(label()).toEqual({team: 'frontend'})
  })
})
