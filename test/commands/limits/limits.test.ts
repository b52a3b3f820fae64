import {describe, expect, it} from 'vitest'
import {currentConfig} from '../../../src/controller/model/releases.js'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'

describe('limits:*', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']})
  const config = () => currentConfig(ctl.store, 'example-app')

  it('limits (bare topic) prints Unlimited sections', async () => {
    expect(await runDeis(ctl, ['limits', '-a', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '=== example-app Limits\n\n--- Memory\nUnlimited\n\n--- CPU\nUnlimited\n',
      stderr: '',
    })
  })

  it('limits:set sets memory by default and CPU with --cpu', async () => {
    expect((await runDeis(ctl, ['limits:set', 'web=512M', 'db=1000M/1500M', '-a', 'example-app'])).stderr).toBe('Applying limits... done\n\n')
    const r = await runDeis(ctl, ['limits:set', 'worker=1', 'web=250m/500m', '--cpu', '-a', 'example-app'])
    expect(r).toEqual({
      exitCode: 0,
      stdout: '=== example-app Limits\n\n--- Memory\ndb      1000M/1500M\nweb     512M\n\n--- CPU\nweb        250m/500m\nworker     1\n',
      stderr: 'Applying limits... done\n\n',
    })
    expect(config()).toMatchObject({memory: {web: '512M', db: '1000M/1500M'}, cpu: {worker: '1', web: '250m/500m'}})
  })

  it('limits:unset removes a type; --json returns the config', async () => {
    const r = await runDeis(ctl, ['limits:unset', 'db', '--json', '-a', 'example-app'])
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout).memory).toEqual({web: '512M'})
    expect(config().memory).toEqual({web: '512M'})
  })

  it('limits:set exits 2 on a malformed limit and sends nothing', async () => {
    expect(await runDeis(ctl, ['limits:set', 'Web=2G', '-a', 'example-app'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: "Error: Web=2G doesn't fit format type=#unit or type=# or type=#/#; Examples: web=2G worker=500M db=1G/2G\n",
    })
    expect(config().memory).toEqual({web: '512M'})
  })

  it('passes the 404, 403 and unset-of-missing errors through', async () => {
    expect(await runDeis(ctl, ['limits:set', 'web=1G', '-a', 'nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Applying limits... Error: No App matches the given query; check the app name with `deis apps:list`\n',
    })
    expect((await runDeis(ctl, ['limits:unset', 'db', '-a', 'example-app'])).stderr).toBe(
      'Applying limits... Error: db does not exist under memory; see what is set with `deis limits:list -a example-app`\n',
    )
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['limits', '-a', 'example-app'])).stderr).toBe(
      'Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    )
    ctl.loginAs('alice')
    expect(config().memory).toEqual({web: '512M'})
  })
})
