import {describe, expect, it} from 'vitest'
import {createExampleApp, useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {latestSettings} from '../../../src/controller/model/settings.js'

describe('whitelist:list, whitelist:add, whitelist:remove', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, createExampleApp)
  const whitelist = () => latestSettings(ctl.store, 'example-app').whitelist

  it('adds comma-separated addresses and lists them', async () => {
    expect(await runDeis(ctl, ['whitelist:add', '10.0.0.1,192.168.0.0/24', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Adding 10.0.0.1,192.168.0.0/24 to example-app whitelist...\ndone\n',
    })
    expect(whitelist()).toEqual(['10.0.0.1', '192.168.0.0/24'])
    expect(await runDeis(ctl, ['whitelist', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '=== example-app Whitelisted Addresses\n10.0.0.1\n192.168.0.0/24\n',
      stderr: '',
    })
  })

  it('refuses invalid addresses and removing absent ones, changing nothing', async () => {
    expect((await runDeis(ctl, ['whitelist:add', '1.2.3.4.5', '--app', 'example-app'])).stderr).toBe(
      'Adding 1.2.3.4.5 to example-app whitelist...\nError: The address 1.2.3.4.5 is not valid\n',
    )
    expect((await runDeis(ctl, ['whitelist:remove', '2.3.4.6', '--app', 'example-app'])).stderr).toBe(
      "Removing 2.3.4.6 from example-app whitelist...\nError: addresses {'2.3.4.6'} does not exist in whitelist\n",
    )
    expect(whitelist()).toEqual(['10.0.0.1', '192.168.0.0/24'])
  })

  it('removes addresses', async () => {
    expect(await runDeis(ctl, ['whitelist:remove', '10.0.0.1', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Removing 10.0.0.1 from example-app whitelist...\ndone\n',
    })
    expect(whitelist()).toEqual(['192.168.0.0/24'])
  })

  it('refuses strangers', async () => {
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['whitelist:add', '10.0.0.2', '--app', 'example-app'])).exitCode).toBe(1)
    ctl.loginAs('alice')
    expect(whitelist()).toEqual(['192.168.0.0/24'])
  })
})
