import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {seedApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'

describe('apps:run', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, async () => {
    await seedApi(ctl, 'POST', '/v2/apps/', {id: 'example-app'})
    await seedApi(ctl, 'POST', '/v2/apps/', {id: 'nobuild-app'})
    await seedApi(ctl, 'POST', '/v2/apps/example-app/builds', {image: 'example/image:1'})
  })

  it('prints the command, then its output on stdout, exiting 0', async () => {
    const r = await runDeis(ctl, ['run', '--app', 'example-app', '--', 'ls', '-la'])
    expect(r).toEqual({exitCode: 0, stdout: '"I did stuff today"', stderr: "Running 'ls -la'...\n"})
    const json = await runDeis(ctl, ['apps:run', 'echo', 'hi', '--app', 'example-app', '--json'])
    expect(JSON.parse(json.stdout)).toEqual({exit_code: 0, output: '"I did stuff today"'})
  })

  it("sends one argument as a shell line as typed, and several quoted one by one (Heroku's rule)", async () => {
    const one = await runDeis(ctl, ['run', '--app', 'example-app', 'cat Procfile; env'])
    expect(one.stderr).toBe("Running 'cat Procfile; env'...\n")
    const several = await runDeis(ctl, ['run', '--app', 'example-app', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
    expect(several.stderr).toBe("Running 'sh -c 'echo out; echo err >&2; exit 3''...\n")
    expect(JSON.parse((await runDeis(ctl, ['run', '-a', 'example-app', '--json', '--', 'echo', "it's", ''])).stdout)).toMatchObject({exit_code: 0})
  })

  it('refuses an app without a build and an empty command', async () => {
    expect(await runDeis(ctl, ['run', 'ls', '--app', 'nobuild-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        "Running 'ls'...\nError: No build associated with this release to run this command; deploy first: `git push deis main` or `deis builds:create <image> -a nobuild-app`\n",
    })
    const empty = await runDeis(ctl, ['run', '--app', 'example-app'])
    expect(empty.exitCode).toBe(2)
    expect(empty.stderr).toContain('no command given')
  })

  it('fails for a stranger', async () => {
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['run', 'ls', '--app', 'example-app'])).stderr).toBe(
      "Running 'ls'...\nError: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n",
    )
    ctl.loginAs('alice')
  })

  describe('against a controller whose command fails', () => {
    let server: Server
    beforeAll(async () => {
      // a real HTTP server standing in for a controller with a runtime, answering one failed run
      server = createServer((req, res) => {
        res.writeHead(200, {'content-type': 'application/json', DEIS_API_VERSION: '2.3'})
        res.end(JSON.stringify({exit_code: 3, output: 'boom\n'}))
      })
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    })
    afterAll(() => new Promise<void>(resolve => server.close(() => resolve())))

    it('prints the output on stderr and exits with the remote exit code', async () => {
      ctl.loginAs('alice', {controller: `http://127.0.0.1:${(server.address() as AddressInfo).port}`})
      expect(await runDeis(ctl, ['run', 'false', '--app', 'example-app'])).toEqual({exitCode: 3, stdout: '', stderr: "Running 'false'...\nboom\n"})
      ctl.loginAs('alice')
    })
  })
})
