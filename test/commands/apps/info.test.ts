import {describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {seedApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'
import {findApp} from '../../../src/controller/model/apps.js'

describe('apps:info', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, async () => {
    await seedApi(ctl, 'POST', '/v2/apps/', {id: 'example-app'})
    await seedApi(ctl, 'POST', '/v2/apps/example-app/builds', {image: 'example/image:1'})
    await seedApi(ctl, 'POST', '/v2/apps/example-app/settings', {label: {team: 'frontend'}})
  })

  it('prints the application, processes, domains and labels blocks', async () => {
    const app = findApp(ctl.store, 'example-app')!
    const pod = ctl.runtime.pods('example-app')[0]?.name
    const r = await runDeis(ctl, ['info', '--app', 'example-app'])
    const pods = ctl.runtime.pods('example-app')
    expect(pods).toHaveLength(1)
    if (pod) expect(pods[0]!.name).toBe(pod)
    const host = new URL(ctl.url).host.split('.').slice(1).join('.')
    expect(r).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        '=== example-app Application',
        `updated:  ${app.updated}`,
        `uuid:     ${app.uuid}`,
        `created:  ${app.created}`,
        `url:      example-app.${host}`,
        'owner:    alice',
        'id:       example-app',
        '',
        '=== example-app Processes',
        '--- cmd:',
        `${pods[0]!.name} up (v2)`,
        '',
        '=== example-app Domains',
        'example-app',
        '',
        '=== example-app Label',
        'team:      frontend',
        '',
        '',
      ].join('\n'),
    })
  })

  it('puts a bare domain under the local router named by the profile', async () => {
    ctl.loginAs('alice', {router: 'http://localhost:8080'})
    try {
      expect((await runDeis(ctl, ['info', '--app', 'example-app'])).stdout).toContain('\nurl:      example-app.localhost:8080\n')
    } finally {
      ctl.loginAs('alice')
    }
  })

  it('uses a domain with a dot as the URL and returns everything with --json', async () => {
    await seedApi(ctl, 'POST', '/v2/apps/example-app/domains', {domain: 'a.example.com'})
    const r = await runDeis(ctl, ['apps:info', '--app', 'example-app', '--json'])
    const body = JSON.parse(r.stdout)
    expect(Object.keys(body)).toEqual(['app', 'processes', 'domains', 'settings'])
    expect(body.domains.results.map((d: {domain: string}) => d.domain)).toEqual(['a.example.com', 'example-app'])
    expect((await runDeis(ctl, ['info', '--app', 'example-app'])).stdout).toContain('\nurl:      a.example.com\n')
  })

  it('fails for a stranger and an unknown app', async () => {
    ctl.loginAs('bob')
    expect(await runDeis(ctl, ['info', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    })
    ctl.loginAs('alice')
    expect(await runDeis(ctl, ['info', '--app', 'nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No App matches the given query; check the app name with `deis apps:list`\n',
    })
  })
})
