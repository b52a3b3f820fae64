import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {revokeTokens} from '../../../src/controller/model/tokens.js'

describe('apps:list', () => {
  let ctl: TestController
  beforeEach(async () => {
    ctl = await startTestController({users: ['alice', 'bob'], apps: ['example-app', 'other-app']})
  })
  afterEach(() => ctl.close())

  it('lists the apps in id order', async () => {
    const r = await runDeis(ctl, ['apps:list'])
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\nexample-app\nother-app\n', stderr: ''})
  })

  it('runs as the bare topic and shows "N of M" when limited', async () => {
    const r = await runDeis(ctl, ['apps', '--limit', '1'])
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps (1 of 2)\nexample-app\n', stderr: ''})
  })

  it('follows every page with --all and prints JSON with --json', async () => {
    const r = await runDeis(ctl, ['apps:list', '--limit', '1', '--all', '--json'])
    expect(r.exitCode).toBe(0)
    const body = JSON.parse(r.stdout)
    expect(body.count).toBe(2)
    expect(body.results.map((a: {id: string}) => a.id)).toEqual(['example-app', 'other-app'])
  })

  it('shows another user only their own apps', async () => {
    ctl.loginAs('bob')
    const r = await runDeis(ctl, ['apps:list'])
    expect(r).toEqual({exitCode: 0, stdout: '=== Apps\n', stderr: ''})
  })

  it('exits 4 with a login hint on a stale token', async () => {
    revokeTokens(ctl.store, 'alice')
    const r = await runDeis(ctl, ['apps:list'])
    expect(r.exitCode).toBe(4)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`Error: Invalid token; log in again with \`deis login ${ctl.url}\`\n`)
  })
})
