import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {countReleases, currentConfig} from '../../../src/controller/model/releases.js'
import {useTestController} from '../../helpers/controller.js'
import {callApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'

describe('config:*', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']})
  const values = () => currentConfig(ctl.store, 'example-app').values
  const releaseCount = () => countReleases(ctl.store, 'example-app')
  beforeEach(() => ctl.loginAs('alice'))

  it('config:set keeps "=" in values and prints the list', async () => {
    const r = await runDeis(ctl, ['config:set', 'DATABASE_URL=postgres://db/app?x=1', 'A=1', '--app', 'example-app'])
    expect(r).toEqual({
      exitCode: 0,
      stdout: '=== example-app Config\nA                 1\nDATABASE_URL      postgres://db/app?x=1\n',
      stderr: 'Creating config... done\n\n',
    })
    expect(values()).toEqual({A: '1', DATABASE_URL: 'postgres://db/app?x=1'})
  })

  it('config (bare topic) lists, --oneline and --diff print KEY=VALUE', async () => {
    expect(await runDeis(ctl, ['config', '-a', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '=== example-app Config\nA                 1\nDATABASE_URL      postgres://db/app?x=1\n',
      stderr: '',
    })
    expect((await runDeis(ctl, ['config:list', '--oneline', '--diff', '-a', 'example-app'])).stdout).toBe('A=1 DATABASE_URL=postgres://db/app?x=1\n')
    expect((await runDeis(ctl, ['config:list', '--diff', '-a', 'example-app'])).stdout).toBe('A=1\nDATABASE_URL=postgres://db/app?x=1\n')
  })

  it('config:list --json prints the controller JSON', async () => {
    const r = await runDeis(ctl, ['config:list', '--json', '-a', 'example-app'])
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({app: 'example-app', values: {A: '1'}, healthcheck: {}})
  })

  it('config:set exits 2 on a bare key and sends nothing', async () => {
    const before = releaseCount()
    const r = await runDeis(ctl, ['config:set', 'A=2', 'CAR star', '--app', 'example-app'])
    expect(r).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: "Error: 'CAR star' does not match the pattern 'key=var'; keys are letters, digits and _, not starting with a digit; ex: MODE=test\n",
    })
    expect(releaseCount()).toBe(before)
  })

  it('config:set passes the controller refusal through and changes nothing', async () => {
    const before = releaseCount()
    const r = await runDeis(ctl, ['config:set', 'PORT=http', '--app', 'example-app'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Creating config... Error: values: PORT can only be a numeric value; give the port the process listens on, from 1 to 65535\n',
    })
    expect(releaseCount()).toBe(before)
  })

  it('config:unset removes keys; a missing key is the controller 422', async () => {
    const r = await runDeis(ctl, ['config:unset', 'A', '--app', 'example-app'])
    expect(r).toEqual({exitCode: 0, stdout: '=== example-app Config\nDATABASE_URL      postgres://db/app?x=1\n', stderr: 'Removing config... done\n\n'})
    const missing = await runDeis(ctl, ['config:unset', 'A', '--app', 'example-app'])
    expect(missing).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Removing config... Error: A does not exist under values; see what is set with `deis config:list -a example-app`\n',
    })
    expect(values()).toEqual({DATABASE_URL: 'postgres://db/app?x=1'})
  })

  it('answers 404 for an unknown app and 403 for a stranger', async () => {
    expect(await runDeis(ctl, ['config', '-a', 'nope'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No App matches the given query; check the app name with `deis apps:list`\n',
    })
    ctl.loginAs('bob')
    expect(await runDeis(ctl, ['config:set', 'B=1', '-a', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Creating config... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    })
    expect(values()).toEqual({DATABASE_URL: 'postgres://db/app?x=1'})
  })

  it('config:push reads dotenv (quotes, export, comments) from stdin and from --path', async () => {
    const r = await runDeis(ctl, ['config:push', '-a', 'example-app'], {input: '# comment\nexport GREETING="hello world"\nEMPTY=\nMULTI="a\\nb"\n'})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('Creating config... done\n\n')
    expect(values()).toEqual({DATABASE_URL: 'postgres://db/app?x=1', GREETING: 'hello world', EMPTY: '', MULTI: 'a\nb'})
    const dir = mkdtempSync(join(tmpdir(), 'deis-env-'))
    writeFileSync(join(dir, 'prod.env'), "SINGLE='it''s'\r\nTOKEN=abc=def\r\n")
    expect((await runDeis(ctl, ['config:push', '--path', 'prod.env', '-a', 'example-app'], {cwd: dir})).exitCode).toBe(0)
    expect(values()).toMatchObject({TOKEN: 'abc=def'})
  })

  it('config:push exits 2 when the file is missing or empty, changing nothing', async () => {
    const before = releaseCount()
    const dir = mkdtempSync(join(tmpdir(), 'deis-env-'))
    expect(await runDeis(ctl, ['config:push', '-p', 'nope.env', '-a', 'example-app'], {cwd: dir})).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: cannot read nope.env: no such file; pass --path <file> or pipe a dotenv file on stdin\n',
    })
    writeFileSync(join(dir, 'empty.env'), '# nothing\n')
    expect((await runDeis(ctl, ['config:push', '-p', 'empty.env', '-a', 'example-app'], {cwd: dir})).stderr).toBe(
      'Error: no KEY=VALUE lines found in empty.env; pass --path <file> or pipe a dotenv file on stdin\n',
    )
    expect(releaseCount()).toBe(before)
  })

  it('config:pull prints dotenv lines when piped, quoting what needs it, and round-trips through push', async () => {
    await callApi(ctl, 'POST', '/v2/apps/example-app/config', {values: {SINGLE: null, TOKEN: null, QUOTE: `say "hi" it's`}})
    const r = await runDeis(ctl, ['config:pull', '-a', 'example-app'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('DATABASE_URL=postgres://db/app?x=1\nEMPTY=\nGREETING=\'hello world\'\nMULTI="a\\nb"\nQUOTE=`say "hi" it\'s`\n')
    const before = values()
    await callApi(ctl, 'POST', '/v2/apps/example-app/config', {values: Object.fromEntries(Object.keys(before).map(k => [k, null]))})
    expect((await runDeis(ctl, ['config:push', '-a', 'example-app'], {input: r.stdout})).exitCode).toBe(0)
    expect(values()).toEqual(before)
  })

  it('config:pull --path writes a 0600 file, refuses to clobber it, and merges with -o', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deis-env-'))
    expect(await runDeis(ctl, ['config:pull', '--path', 'out.env', '-a', 'example-app'], {cwd: dir})).toMatchObject({exitCode: 0, stdout: ''})
    const file = join(dir, 'out.env')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain("GREETING='hello world'\n")
    writeFileSync(file, 'LOCAL_ONLY=1\nGREETING=old\n')
    expect(await runDeis(ctl, ['config:pull', '--path', 'out.env', '-a', 'example-app'], {cwd: dir})).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: out.env already exists; pass -o/--overwrite to merge the app values into it, or -i/--interactive to choose key by key\n',
    })
    expect((await runDeis(ctl, ['config:pull', '-p', 'out.env', '-o', '-a', 'example-app'], {cwd: dir})).exitCode).toBe(0)
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('LOCAL_ONLY=1\n')
    expect(text).toContain("GREETING='hello world'\n")
  })

  it('config:pull -i without a terminal exits 2 naming --overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deis-env-'))
    writeFileSync(join(dir, '.env'), 'GREETING=old\n')
    const r = await runDeis(ctl, ['config:pull', '-i', '-a', 'example-app'], {cwd: dir, env: {DEIS_FORCE_TTY: '1'}})
    expect(r).toEqual({exitCode: 2, stdout: '', stderr: 'Error: no terminal to prompt on; pass --overwrite\n'})
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('GREETING=old\n')
  })
})
