import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {seedApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'

describe('apps:open', () => {
  let ctl: TestController
  let bin: string

  beforeAll(async () => {
    ctl = await startTestController({users: ['alice']})
    await seedApi(ctl, 'POST', '/v2/apps/', {id: 'example-app'})
    await seedApi(ctl, 'POST', '/v2/apps/', {id: 'bare-app'})
    await seedApi(ctl, 'DELETE', '/v2/apps/bare-app/domains/bare-app')
    await seedApi(ctl, 'POST', '/v2/apps/example-app/domains', {domain: 'app.example.com'})
    // a real xdg-open on PATH that records the URL it was asked to open
    bin = mkdtempSync(join(tmpdir(), 'deis-open-'))
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > "${join(bin, 'opened')}"\n`)
    chmodSync(join(bin, 'xdg-open'), 0o755)
  })
  afterAll(async () => {
    await ctl.close()
    rmSync(bin, {recursive: true, force: true})
  })

  it.skipIf(process.platform !== 'linux')('prints the URL and hands it to xdg-open', async () => {
    const r = await runDeis(ctl, ['open', '--app', 'example-app'], {env: {PATH: `${bin}:${process.env.PATH}`}})
    expect(r).toEqual({exitCode: 0, stdout: 'http://app.example.com\n', stderr: ''})
    // the opener runs detached: wait for the file it writes, with a deadline generous for a loaded machine
    const deadline = Date.now() + 60_000
    while (!readFileSafe(join(bin, 'opened')) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    expect(readFileSafe(join(bin, 'opened'))).toBe('http://app.example.com\n')
  })

  it.skipIf(process.platform !== 'linux')('warns when no opener can start, still printing the URL', async () => {
    const r = await runDeis(ctl, ['apps:open', '--app', 'example-app'], {env: {PATH: '/nonexistent'}})
    expect(r).toEqual({exitCode: 0, stdout: 'http://app.example.com\n', stderr: 'could not start xdg-open: ENOENT; open http://app.example.com yourself\n'})
  })

  it('fails when the app has no domain', async () => {
    const r = await runDeis(ctl, ['open', '--app', 'bare-app'])
    expect(r).toEqual({exitCode: 1, stdout: '', stderr: 'Error: No domain assigned to bare-app; add one with `deis domains:add <domain> --app bare-app`\n'})
  })
})

function readFileSafe(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
