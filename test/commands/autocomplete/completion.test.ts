import {spawn} from 'node:child_process'
import {createApp} from '../../../src/controller/model/app-lifecycle.js'
import {chmodSync, existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {BIN, runDeis} from '../../helpers/run.js'

/** Runs `program args...` with the test HOME and a PATH whose `deis` is this checkout; resolves with stdout. */
function shell(home: string, program: string, args: string[], input = ''): Promise<{code: number | null; stdout: string; stderr: string}> {
  const bin = join(home, 'bin')
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('DEIS_')) env[k] = v
  Object.assign(env, {HOME: home, DEIS_KEYCHAIN: 'off', PATH: `${bin}:${process.env.PATH}`, TERM: 'dumb'})
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {cwd: home, env})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
    child.stdin.end(input)
  })
}

describe('autocomplete', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app', 'other-app']}, async ctl => {
    mkdirSync(join(ctl.home, 'bin'))
    writeFileSync(join(ctl.home, 'bin', 'deis'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`)
    chmodSync(join(ctl.home, 'bin', 'deis'), 0o755)
    writeFileSync(join(ctl.home, '.deis', 'staging.json'), '{}', {mode: 0o600})
    for (const sh of ['bash', 'zsh', 'fish']) {
      const r = await runDeis(ctl, ['autocomplete:script', sh])
      expect(r.exitCode).toBe(0)
      writeFileSync(join(ctl.home, `deis.${sh}`), r.stdout)
    }
  })
  const script = (sh: string) => join(ctl.home, `deis.${sh}`)

  const bash = async (line: string) => {
    const r = await shell(ctl.home, 'bash', [
      '--norc',
      '--noprofile',
      '-c',
      `source '${script('bash')}'; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; _deis; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ])
    expect(r.stderr).toBe('')
    return r.stdout.split('\n').filter(Boolean)
  }
  // a real interactive zsh on a pseudo-terminal (zsh/zpty), pressing Tab after `line`, until `expected` shows
  const zsh = async (line: string, expected: string) => {
    const driver = [
      'zmodload zsh/zpty',
      "zpty z 'zsh -f -i'",
      `zpty -w z 'PS1="READY> "; autoload -Uz compinit; compinit -u -D; source ${script('zsh')}; print SETUP-DONE'`,
      "zpty -r z out '*SETUP-DONE*READY> '",
      `zpty -w -n z $'${line}\\t'`,
      `zpty -r z out '*${expected}*'`,
      'print -r -- "$out"',
      'zpty -d z',
    ].join('\n')
    return (await shell(ctl.home, 'zsh', ['-f', '-c', driver])).stdout
  }
  const fish = async (line: string) => (await shell(ctl.home, 'fish', ['--no-config', '-c', `source '${script('fish')}'; complete -C '${line}'`])).stdout

  it('prints how to set it up for each shell', async () => {
    const r = await runDeis(ctl, ['autocomplete', 'bash'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('eval "$(deis autocomplete:script bash)"')
    expect((await runDeis(ctl, ['autocomplete'], {env: {SHELL: '/usr/bin/fish'}})).stdout).toContain('deis autocomplete:script fish > ~/.config/fish/completions/deis.fish')
    expect(await runDeis(ctl, ['autocomplete'], {env: {SHELL: '/bin/csh'}})).toMatchObject({exitCode: 2, stderr: expect.stringContaining('cannot tell your shell')})
  }, 90_000)

  it('bash completes commands (past the colon, as bash wants), flags, profiles and app names', async () => {
    expect(await bash('deis apps:li')).toEqual(['list'])
    expect(await bash('deis confi')).toEqual(['config', 'config:get', 'config:list', 'config:pull', 'config:push', 'config:set', 'config:unset'])
    expect(await bash('deis logs --ty')).toEqual(['--type'])
    expect(await bash('deis apps -c ')).toEqual(['client', 'staging'])
    expect(await bash('deis apps:info -a ex')).toEqual(['example-app'])
  }, 90_000)

  it('zsh completes a command and an app name in a real interactive shell', async () => {
    expect(await zsh('deis apps:li', 'apps:list')).toContain('deis apps:list')
    expect(await zsh('deis apps:info --app exa', 'example-app')).toContain('deis apps:info --app example-app')
  }, 90_000)

  it('fish completes a command, a flag and an app name', async () => {
    expect(await fish('deis apps:li')).toBe('apps:list\tlist the apps you can access\n')
    expect(await fish('deis logs --ty')).toBe('--type\tshow only the lines of this process type\n')
    expect(await fish('deis apps:info -a ')).toBe('example-app\tapp\nother-app\tapp\n')
    expect(await fish('deis apps -c ')).toBe('client\tprofile\nstaging\tprofile\n')
  }, 90_000)

  it('answers app names from a cache for 60 s, then asks the controller again', async () => {
    const first = await runDeis(ctl, ['autocomplete:apps'])
    expect(first).toEqual({exitCode: 0, stdout: 'example-app\nother-app\n', stderr: ''})
    const cacheDir = join(ctl.home, '.deis', 'cache')
    const [file] = readdirSync(cacheDir)
    createApp(ctl.store, 'new-app', 'alice')
    expect((await runDeis(ctl, ['autocomplete:apps'])).stdout).toBe('example-app\nother-app\n')
    const old = new Date(Date.now() - 61_000)
    utimesSync(join(cacheDir, file!), old, old)
    expect((await runDeis(ctl, ['autocomplete:apps'])).stdout).toBe('example-app\nnew-app\nother-app\n')
    expect(existsSync(join(cacheDir, file!))).toBe(true)
  }, 90_000)
})
