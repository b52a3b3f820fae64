import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runDeis} from '../helpers/run.js'

describe('dispatching words that are not commands', () => {
  const home = mkdtempSync(join(tmpdir(), 'deis-home-'))
  afterAll(() => rmSync(home, {recursive: true, force: true}))

  it('fails an unknown command with exit 1 and points at help (the Go client exits 0 for an unknown verb)', async () => {
    for (const word of ['foo', 'apps:frob']) {
      expect(await runDeis(home, [word])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `Error: command ${word} not found; run \`deis help\` to list the commands\n`,
      })
    }
  })

  it('runs a deis-<word> plugin from PATH as the Go client does, with its exit code and the profile in DEIS_PROFILE', async () => {
    const bin = join(home, 'plugins')
    mkdirSync(bin, {recursive: true})
    const script = join(bin, 'deis-hello')
    writeFileSync(script, '#!/bin/sh\necho "args: $* profile: $DEIS_PROFILE"\nexit 3\n')
    chmodSync(script, 0o755)
    const env = {PATH: `${bin}:${process.env.PATH}`}
    expect(await runDeis(home, ['hello:world', 'a', '-c', 'staging', 'b'], {env})).toEqual({exitCode: 3, stdout: 'args: world a b profile: staging\n', stderr: ''})
    expect(await runDeis(home, ['hello', '--', '-x'], {env})).toEqual({exitCode: 3, stdout: 'args: -- -x profile: \n', stderr: ''})
    expect((await runDeis(home, ['nosuch'], {env})).exitCode).toBe(1)
  })

  it('shows the shortcut target’s help for `deis help <shortcut>`', async () => {
    const r = await runDeis(home, ['help', 'create'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('create an app and add a git remote for it')
    expect(r.stdout).toContain('$ deis create [ID]')
  })
})
