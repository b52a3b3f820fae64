import {describe, expect, it} from 'vitest'
import {createExampleApp, useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {listDomains} from '../../../src/controller/model/domains.js'

describe('domains:list, domains:add, domains:remove', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, createExampleApp)
  const stored = () => listDomains(ctl.store, 'example-app').map(d => d.domain)

  it('adds a domain with the Go client progress line', async () => {
    expect(await runDeis(ctl, ['domains:add', 'www.example.com', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Adding www.example.com to example-app... done\n',
    })
    expect(stored()).toEqual(['example-app', 'www.example.com'])
  })

  it('lists domains, with N of M when limited, and JSON', async () => {
    expect(await runDeis(ctl, ['domains', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: '=== example-app Domains\nexample-app\nwww.example.com\n', stderr: ''})
    expect((await runDeis(ctl, ['domains:list', '--app', 'example-app', '--limit', '1'])).stdout).toBe('=== example-app Domains (1 of 2)\nexample-app\n')
    const json = JSON.parse((await runDeis(ctl, ['domains:list', '--app', 'example-app', '--limit', '1', '--all', '--json'])).stdout)
    expect(json.results.map((d: {domain: string}) => d.domain)).toEqual(['example-app', 'www.example.com'])
  })

  it('reports invalid and taken names, leaving the domains alone', async () => {
    expect(await runDeis(ctl, ['domains:add', 'www.example.com', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Adding www.example.com to example-app... Error: domain: Domain is already in use by another application; remove it from the other app first (`deis domains:remove <domain> -a <other-app>`), or use another domain\n',
    })
    const bad = await runDeis(ctl, ['domains:add', 'bad_name.com', '--app', 'example-app'])
    expect(bad.stderr).toBe(
      "Adding bad_name.com to example-app... Error: domain: Hostname does not look valid, could not convert to ACE bad_name.com: Codepoint U+005F at position 4 of 'bad_name' not allowed; give a host name such as www.example.com or *.example.com\n",
    )
    expect(stored()).toEqual(['example-app', 'www.example.com'])
  })

  it('removes a domain; an unknown one is a 404 message', async () => {
    expect(await runDeis(ctl, ['domains:remove', 'www.example.com', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Removing www.example.com from example-app... done\n',
    })
    expect((await runDeis(ctl, ['domains:remove', 'nope.example.com', '--app', 'example-app'])).stderr).toBe(
      'Removing nope.example.com from example-app... Error: No Domain matches the given query; check the name with `deis domains:list -a example-app`\n',
    )
    expect(stored()).toEqual(['example-app'])
  })

  it('refuses strangers and unknown apps', async () => {
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['domains:add', 'bob.example.com', '--app', 'example-app'])).stderr).toBe(
      'Adding bob.example.com to example-app... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    )
    ctl.loginAs('alice')
    expect(await runDeis(ctl, ['domains', '--app', 'nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No App matches the given query; check the app name with `deis apps:list`\n',
    })
    expect(stored()).toEqual(['example-app'])
  })
})
