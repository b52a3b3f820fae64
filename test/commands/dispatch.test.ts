import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runDeis} from '../helpers/run.js'
import {runOnTty} from '../helpers/tty.js'

describe('dispatching words that are not commands', () => {
  const home = mkdtempSync(join(tmpdir(), 'deis-home-'))
  afterAll(() => rmSync(home, {recursive: true, force: true}))

  it('fails an unknown command with the usage exit code 2 and points at help (the Go client exits 0 for an unknown verb)', async () => {
    for (const word of ['foo', 'apps:frobnicate']) {
      expect(await runDeis(home, [word])).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: `Error: command ${word} not found; run \`deis help\` to list the commands\n`,
      })
    }
  })

  it('suggests the closest command for a typo, keeping the arguments, exit 2', async () => {
    expect(await runDeis(home, ['apps:lsit', '--all'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: command apps:lsit not found; did you mean `deis apps:list --all`?\n',
    })
    expect(await runDeis(home, ['confg:set', 'A=1'])).toEqual({exitCode: 2, stdout: '', stderr: 'Error: command confg:set not found; did you mean `deis config:set A=1`?\n'})
    expect((await runDeis(home, ['sahring'])).stderr).toBe('Error: command sahring not found; did you mean `deis sharing`?\n')
  })

  it('on a terminal offers to run the suggestion, and runs it when the user says yes', async () => {
    const yes = await runOnTty(home, ['verison'], [['instead?', 'y\r']])
    expect(yes.screen).toContain('Warning: command verison not found')
    expect(yes.screen).toMatch(/v\d+\.\d+\.\d+/)
    expect(yes.exitCode).toBe(0)
    const no = await runOnTty(home, ['verison'], [['instead?', 'n\r']])
    expect(no.exitCode).toBe(130)
  })

  it('suggests the closest flag of the command for a flag typo, in one line, exit 2', async () => {
    expect(await runDeis(home, ['logs', '--tpye', 'web'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: unknown flag --tpye; did you mean --type? (see `deis apps:logs --help`)\n',
    })
    expect((await runDeis(home, ['apps:list', '--frobnicate'])).stderr).toBe('Error: unknown flag --frobnicate; see `deis apps --help`\n')
  })

  it('takes -h as --help everywhere', async () => {
    const r = await runDeis(home, ['apps', '-h'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('$ deis apps')
    const run = await runDeis(home, ['run', '-h'])
    expect(run.stdout).toContain('USAGE\n  $ deis run [--app <app>] [--] <command>...\n')
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
    expect((await runDeis(home, ['nosuch'], {env})).exitCode).toBe(2)
    // a plugin wins over a suggestion: `deis-hello` is run for `hello`, although `help` is one letter away
    expect((await runDeis(home, ['hello'], {env})).exitCode).toBe(3)
  })

  it('shows the shortcut target’s help for `deis help <shortcut>`', async () => {
    const r = await runDeis(home, ['help', 'create'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('create an app and add a git remote for it')
    expect(r.stdout).toContain('$ deis create [ID]')
  })
})
