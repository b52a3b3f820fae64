import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {homeFor, startServer} from '../api/servers.js'
import {useTestController} from '../helpers/controller.js'
import {runDeis} from '../helpers/run.js'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}

describe('version', () => {
  const ctl = useTestController({users: ['alice']})

  it('prints v<package version>, the same as --version and -v', async () => {
    const expected = {exitCode: 0, stdout: `v${pkg.version}\n`, stderr: ''}
    expect(await runDeis(ctl, ['version'])).toEqual(expected)
    expect(await runDeis(ctl, ['--version'])).toEqual(expected)
    expect(await runDeis(ctl, ['-v'])).toEqual(expected)
  })

  it('prints client, client API and controller API versions with --all', async () => {
    const r = await runDeis(ctl, ['version', '--all'])
    expect(r).toEqual({
      exitCode: 0,
      stdout: `Workflow CLI Version:            v${pkg.version}\nWorkflow CLI API Version:        2.3\nWorkflow Controller API Version: 2.3\n`,
      stderr: '',
    })
  })

  it('returns the three versions with --all --json', async () => {
    const r = await runDeis(ctl, ['version', '-a', '--json'])
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({cli: `v${pkg.version}`, api: '2.3', controller_api: '2.3'})
  })

  it('reads DEIS_API_VERSION from /healthz, warning when it differs', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, {'content-type': 'text/html', DEIS_API_VERSION: '2.10'})
      res.end('OK')
    })
    const home = homeFor(server.url)
    const r = await runDeis(home, ['version', '--all'])
    await server.close()
    rmSync(home, {recursive: true, force: true})
    expect(server.requests).toEqual(['GET /healthz'])
    expect(r).toEqual({
      exitCode: 0,
      stdout: `Workflow CLI Version:            v${pkg.version}\nWorkflow CLI API Version:        2.3\nWorkflow Controller API Version: 2.10\n`,
      stderr: '!    WARNING: Client and server API versions do not match. Please consider upgrading.\n!    Client version: 2.3\n!    Server version: 2.10\n',
    })
  })

  it('prints the client lines, then exits 4, without a profile', async () => {
    const r = await runDeis(ctl, ['version', '--all'], {env: {DEIS_PROFILE: 'missing'}})
    expect(r).toEqual({
      exitCode: 4,
      stdout: `Workflow CLI Version:            v${pkg.version}\nWorkflow CLI API Version:        2.3\n`,
      stderr: `Error: client configuration file not found at ${join(ctl.home, '.deis', 'missing.json')}; are you logged in? Use 'deis login' or 'deis register' to get started\n`,
    })
  })
})
