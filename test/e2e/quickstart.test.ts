import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'

const QUICKSTART = fileURLToPath(new URL('../../bin/quickstart.js', import.meta.url))

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{exitCode: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [QUICKSTART, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    child.on('error', reject)
    child.on('close', exitCode => resolve({exitCode, stdout, stderr}))
  })
}

/** Daemons whose command line names a quickstart temp dir under `tmp`. */
function quickstartDaemons(tmp: string): string[] {
  return readdirSync('/proc')
    .filter(p => /^\d+$/.test(p))
    .map(p => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ')
      } catch {
        return ''
      }
    })
    .filter(cmd => cmd.includes('daemon.js') && cmd.includes(join(tmp, 'deis-quickstart-')))
}

describe('npm run quickstart', () => {
  const home = mkdtempSync(join(tmpdir(), 'deis-qs-home-'))
  const tmp = mkdtempSync(join(tmpdir(), 'deis-qs-tmp-'))
  afterAll(() => {
    rmSync(home, {recursive: true, force: true})
    rmSync(tmp, {recursive: true, force: true})
  })

  it('registers, creates, shows and destroys an app on a fresh machine, then cleans up', async () => {
    const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, TMPDIR: tmp}
    const r = await run(['--port', '0'], env)
    expect(r.stderr).not.toContain('Error:')
    expect(r.exitCode).toBe(0)
    const url = /^http:\/\/127\.0\.0\.1:\d+$/m.exec(r.stdout)?.[0]
    expect(url).toBeDefined()
    const commands = r.stdout.split('\n').filter(l => l.startsWith('$ deis '))
    expect(commands).toEqual([
      expect.stringMatching(/^\$ deis local:start --port 0 --data-dir \S+\/deis-quickstart-\w+\/\.deis\/local$/),
      `$ deis register ${url} --username quickstart --email quickstart@example.com --password ***`,
      '$ deis apps:create example-app --no-remote',
      '$ deis apps:info --app example-app',
      '$ deis apps:destroy --app example-app --confirm example-app',
    ])
    expect(r.stdout).toMatch(/^=== example-app Application$/m)
    expect(r.stdout).toMatch(/^url: {6}example-app\.localhost:\d+$/m)
    expect(r.stderr).toContain('Registered quickstart\nLogged in as quickstart\n')
    expect(r.stderr).toContain('Creating Application... done, created example-app\n')
    expect(r.stderr).toMatch(/Destroying example-app\.\.\. done in \d+s\n/)
    expect(r.stdout).toMatch(/\nQuickstart finished/)
    expect(existsSync(join(home, '.deis'))).toBe(false)
    expect(readdirSync(tmp)).toEqual([])
    expect(quickstartDaemons(tmp)).toEqual([])
  })

  it('fails clearly and cleans up when the port is taken', async () => {
    const {createServer} = await import('node:net')
    const blocker = createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    try {
      const r = await run(['--port', String(port)], {PATH: process.env.PATH, HOME: home, TMPDIR: tmp})
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toContain(`Error: the local controller did not start: port ${port} is already in use; stop what listens there, or pass --port <port>\n`)
      expect(r.stderr).toMatch(/\nquickstart: `deis local:start` failed \(exit 1\)\n$/)
      expect(readdirSync(tmp)).toEqual([])
    } finally {
      blocker.close()
    }
  })
})
