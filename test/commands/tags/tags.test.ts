import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {currentConfig} from '../../../src/controller/model/releases.js'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'

describe('tags:* and registry:*', () => {
  let ctl: TestController
  const config = () => currentConfig(ctl.store, 'example-app')

  beforeAll(async () => {
    // the local node's labels decide which tags the controller accepts, as Kubernetes nodes do
    process.env.DEIS_NODE_LABELS = 'environ=dev,rack=1'
    ctl = await startTestController({users: ['alice', 'bob'], apps: ['example-app']})
  })
  afterAll(() => ctl.close())

  it('tags:set and tags:list print PrettyTabs(5); tags:unset removes', async () => {
    expect(await runDeis(ctl, ['tags:set', 'environ=dev', 'rack=1', '-a', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '=== example-app Tags\nenviron     dev\nrack        1\n',
      stderr: 'Applying tags... done\n\n',
    })
    expect((await runDeis(ctl, ['tags', '-a', 'example-app'])).stdout).toBe('=== example-app Tags\nenviron     dev\nrack        1\n')
    expect((await runDeis(ctl, ['tags:unset', 'rack', '-a', 'example-app'])).stdout).toBe('=== example-app Tags\nenviron     dev\n')
    expect(config().tags).toEqual({environ: 'dev'})
  })

  it('tags:set refuses a tag no node carries and leaves the tags as they were', async () => {
    expect(await runDeis(ctl, ['tags:set', 'environ=prod', '-a', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Applying tags... Error: No nodes matched the provided labels: environ=prod - Addition of environ=prod is the cause; tag with labels your nodes carry (`kubectl get nodes --show-labels`)\n',
    })
    expect(config().tags).toEqual({environ: 'dev'})
  })

  it('tags:set splits on the first "=" and lets the controller judge the value', async () => {
    expect(await runDeis(ctl, ['tags:set', 'a=b=c', '-a', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Applying tags... Error: tags: Tag values must be alphanumeric or "-_.", and 1-63 characters; use 1-63 letters, digits, - _ or ., starting and ending with a letter or digit\n',
    })
    expect(await runDeis(ctl, ['tags:set', 'rack', '-a', 'example-app'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: rack is invalid, Must be in format key=value; Examples: rack=1 environment=production\n',
    })
    expect(config().tags).toEqual({environ: 'dev'})
  })

  it('registry:set needs PORT, accepts "=" in passwords, and registry:unset removes', async () => {
    expect((await runDeis(ctl, ['registry:set', 'username=bot', '-a', 'example-app'])).stderr).toBe(
      'Applying registry information... Error: PORT needs to be set in the config when using a private registry; set it first: `deis config:set PORT=<port> -a example-app`\n',
    )
    expect((await runDeis(ctl, ['config:set', 'PORT=5000', '-a', 'example-app'])).exitCode).toBe(0)
    expect(await runDeis(ctl, ['registry:set', 'username=bot', 'password=s3=cret', '-a', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '=== example-app Registry\npassword     s3=cret\nusername     bot\n',
      stderr: 'Applying registry information... done\n\n',
    })
    expect((await runDeis(ctl, ['registry:unset', 'password', '-a', 'example-app'])).stdout).toBe('=== example-app Registry\nusername     bot\n')
    expect((await runDeis(ctl, ['registry', '-a', 'example-app'])).stdout).toBe('=== example-app Registry\nusername     bot\n')
    expect(config().registry).toEqual({username: 'bot'})
  })

  it('registry:set exits 2 on a key other than username/password', async () => {
    expect(await runDeis(ctl, ['registry:set', 'hostname=quay.io', '-a', 'example-app'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: hostname is invalid. Valid keys are "username" or "password"; ex: username=bob password=s3cur3pw1\n',
    })
  })

  it('answers 404 and 403', async () => {
    expect((await runDeis(ctl, ['tags', '-a', 'nope'])).stderr).toBe('Error: No App matches the given query; check the app name with `deis apps:list`\n')
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['registry:unset', 'username', '-a', 'example-app'])).stderr).toBe(
      'Applying registry information... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    )
    ctl.loginAs('alice')
    expect(config().registry).toEqual({username: 'bot'})
  })
})
