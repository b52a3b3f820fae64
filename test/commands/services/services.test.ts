import {describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {callApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'

describe('services:* (Hephy)', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']})
  const held = async () => (await callApi(ctl, 'GET', '/v2/apps/example-app/services/')).body

  it('adds a route to a process type, lists it, and replaces it when added again', async () => {
    expect(await runDeis(ctl, ['services:add', '--type', 'webhooks', '--route', '/webhooks/notify', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Adding webhooks (/webhooks/notify) to example-app... done\n',
    })
    const regex = '/api,~ ^/users/[0-9]+/.*'
    expect((await runDeis(ctl, ['services:add', '--type', 'api', '--route', regex, '-a', 'example-app'])).exitCode).toBe(0)
    expect(await runDeis(ctl, ['services', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: `=== example-app Services\napi          ${regex}\nwebhooks     /webhooks/notify\n`,
      stderr: '',
    })
    await runDeis(ctl, ['services:add', '--type', 'api', '--route', '/v2', '-a', 'example-app'])
    expect(await held()).toEqual({
      services: [
        {procfile_type: 'api', path_pattern: '/v2'},
        {procfile_type: 'webhooks', path_pattern: '/webhooks/notify'},
      ],
    })
    expect(JSON.parse((await runDeis(ctl, ['services:list', '-a', 'example-app', '--json'])).stdout)).toHaveLength(2)
  })

  it('removes one, and says when there is none for the type', async () => {
    expect(await runDeis(ctl, ['services:remove', 'api', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: '', stderr: 'Removing api from example-app... done\n'})
    expect(await held()).toEqual({services: [{procfile_type: 'webhooks', path_pattern: '/webhooks/notify'}]})
    expect(await runDeis(ctl, ['services:remove', 'api', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Removing api from example-app... Error: No Service matches the given query; check the name with `deis services:list -a example-app`\n',
    })
  })

  it('passes the controller’s refusal of a bad pattern through, and needs --type and --route', async () => {
    const bad = await runDeis(ctl, ['services:add', '--type', 'web', '--route', '~ ^/(', '-a', 'example-app'])
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toContain('Service value should be valid regex')
    expect((await runDeis(ctl, ['services:add', '--type', 'web', '-a', 'example-app'])).exitCode).toBe(2)
    expect(await held()).toEqual({services: [{procfile_type: 'webhooks', path_pattern: '/webhooks/notify'}]})
  })
})
