import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ApiError, AuthError, CancelledError, ConnectionError, DeisError, ExitCode, UsageError} from '../../src/errors.js'
import {runDeis} from '../helpers/run.js'

/** The README's exit-code table as {name: code}, read from its `| code | \`name\` | when |` rows. */
function readmeExitCodes(): Record<string, number> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.split(/^Exit codes:$/m)[1]?.split(/\n\n/)[1] ?? ''
  const rows: Record<string, number> = {}
  for (const m of section.matchAll(/^\|\s*(\d+)\s*\|\s*`(\w+)`\s*\|/gm)) rows[m[2]!] = Number(m[1])
  return rows
}

describe('exit codes', () => {
  it('the README table lists exactly ExitCode', () => {
    expect(readmeExitCodes()).toEqual({...ExitCode})
  })

  it('each error class carries its code', () => {
    const exit = (e: DeisError) => e.oclif.exit
    expect(exit(new DeisError('x'))).toBe(ExitCode.failure)
    expect(exit(new ApiError('x', 400))).toBe(ExitCode.failure)
    expect(exit(new ConnectionError('x'))).toBe(ExitCode.failure)
    expect(exit(new UsageError('x'))).toBe(ExitCode.usage)
    expect(exit(new AuthError('x'))).toBe(ExitCode.auth)
    expect(exit(new CancelledError())).toBe(ExitCode.cancelled)
  })

  it('a real process exits 0, 2 on a bad flag, 4 when not logged in', async () => {
    const home = mkdtempSync(join(tmpdir(), 'deis-exit-'))
    try {
      expect((await runDeis(home, ['local:status'])).exitCode).toBe(ExitCode.ok)
      const usage = await runDeis(home, ['apps:list', '--no-such-flag'])
      expect(usage.exitCode).toBe(ExitCode.usage)
      expect(usage.stderr).toBe('Error: unknown flag --no-such-flag; see `deis apps --help`\n')
      const auth = await runDeis(home, ['apps:list'])
      expect(auth).toEqual({
        exitCode: ExitCode.auth,
        stdout: '',
        stderr: `Error: client configuration file not found at ${home}/.deis/client.json; are you logged in? Use 'deis login' or 'deis register' to get started\n`,
      })
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })
  it('a failure outside any command (a throw from a callback) is one Error line and exit 1; the stack only with DEIS_DEBUG=1', async () => {
    const home = mkdtempSync(join(tmpdir(), 'deis-uncaught-'))
    // a controller that takes the connection and never answers, so the command is still waiting when the throw comes
    const silent = createServer(() => undefined)
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    try {
      const {port} = silent.address() as AddressInfo
      mkdirSync(join(home, '.deis'))
      writeFileSync(join(home, '.deis', 'client.json'), JSON.stringify({username: 'alice', ssl_verify: true, controller: `http://127.0.0.1:${port}`, token: 'x'}), {
        mode: 0o600,
      })
      // a real throw in the CLI's own process, from a callback that runs once it has started to connect
      writeFileSync(
        join(home, 'throw.cjs'),
        "const {Socket} = require('node:net')\nconst connect = Socket.prototype.connect\nSocket.prototype.connect = function (...args) {\n  setImmediate(() => { throw new Error('boom from a callback') })\n  return connect.apply(this, args)\n}\n",
      )
      const env = {NODE_OPTIONS: `--require ${join(home, 'throw.cjs')}`}
      const plain = await runDeis(home, ['apps:list'], {env})
      expect(plain).toEqual({exitCode: ExitCode.failure, stdout: '', stderr: 'Error: boom from a callback\n'})
      const debug = await runDeis(home, ['apps:list'], {env: {...env, DEIS_DEBUG: '1'}})
      expect(debug.exitCode).toBe(ExitCode.failure)
      expect(debug.stderr).toMatch(/\nError: boom from a callback\nError: boom from a callback\n\s+at Immediate\.<anonymous> .*throw\.cjs:4/)
    } finally {
      silent.close()
      rmSync(home, {recursive: true, force: true})
    }
  })
})
