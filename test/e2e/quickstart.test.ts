import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir, userInfo} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {BIN} from '../helpers/run.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{exitCode: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: env.HOME, env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000)
    child.on('error', reject)
    child.on('close', exitCode => {
      clearTimeout(timer)
      resolve({exitCode, stdout, stderr})
    })
  })
}

/** Processes (daemons and app processes) whose command line or working directory is under `dir`. */
function processesUnder(dir: string): string[] {
  return readdirSync('/proc')
    .filter(p => /^\d+$/.test(p) && Number(p) !== process.pid)
    .flatMap(p => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ')
        const cwd = readlinkSync(`/proc/${p}/cwd`)
        return cmd.includes(dir) || cwd.startsWith(dir) ? [`${p}: ${cmd}`] : []
      } catch {
        return []
      }
    })
}

// ssh reads ~/.ssh of the account, not $HOME: what is there must stay as it was
const accountKnownHosts = join(userInfo().homedir, '.ssh', 'known_hosts')
const knownHostsText = () => (existsSync(accountKnownHosts) ? readFileSync(accountKnownHosts, 'utf8') : undefined)

describe('deis local:quickstart', () => {
  const root = mkdtempSync(join(tmpdir(), 'local-qs-'))
  afterAll(() => rmSync(root, {recursive: true, force: true}))
  const fresh = (name: string) => {
    const home = join(root, name, 'home')
    const tmp = join(root, name, 'tmp')
    mkdirSync(home, {recursive: true})
    mkdirSync(tmp, {recursive: true})
    return {home, tmp}
  }

  it('deploys the sample app with git push, answers through the router, scales, reconfigures, then removes everything', async () => {
    const {home, tmp} = fresh('ok')
    const before = knownHostsText()
    const r = await run('npm', ['run', '--silent', 'quickstart', '--prefix', ROOT], {PATH: process.env.PATH, HOME: home, TMPDIR: tmp, npm_config_nodedir: '/usr'})
    expect(r.stderr).not.toContain('Error:')
    expect(r.exitCode).toBe(0)

    const titles = [...r.stderr.matchAll(/^\[(\d+)\] (.+)$/gm)].filter(m => !m[2]!.startsWith('done in ')).map(m => m[2])
    expect(titles).toEqual([
      'Start a local controller on free ports, in a temp HOME',
      'Register the first user (the administrator)',
      'Make an SSH key for this run and upload it',
      'Copy examples/hello-node into a git repository and create the app',
      'git push: build and deploy',
      expect.stringMatching(/^Ask the app through the router: http:\/\/hello\.localhost:\d+\/$/),
      'Scale to two web processes; both answer',
      'Set a config value; the next release answers with it',
      "Show the app's logs",
      'Destroy the app',
      'Stop the local controller',
    ])
    // every step prints its time
    expect([...r.stderr.matchAll(/^\[(\d+)\] done in \d+\.\d\ds$/gm)].map(m => Number(m[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(r.stderr).toContain('--password ***\n')
    expect(r.stderr).toMatch(/^remote: -----> Launching\.\.\./m)
    expect(r.stderr).toMatch(/^ \* \[new branch\]\s+main -> main$/m)
    expect(r.stderr).not.toMatch(/authenticity of host|continue connecting/)

    const answers = [...r.stdout.matchAll(/^Powered by (\S+)\nRelease (v\d+) on (\S+)$/gm)].map(m => ({by: m[1], release: m[2], process: m[3]}))
    expect(answers[0]).toMatchObject({by: 'Deis', release: 'v2'})
    const scaled = answers.slice(1, 3)
    expect(scaled.map(a => a.by)).toEqual(['Deis', 'Deis'])
    expect(new Set(scaled.map(a => a.process)).size).toBe(2)
    expect(answers.at(-1)).toMatchObject({by: 'quickstart', release: 'v3'})
    expect(r.stdout).toMatch(/ hello\[build\]: -----> Launching\.\.\.$/m)
    expect(r.stdout).toMatch(/ deis\[controller\]: INFO quickstart scaled pods web=2$/m)

    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.at(-2)).toMatch(/^The app answered at http:\/\/hello\.localhost:\d+\/$/)
    expect(lines.at(-1)).toMatch(/^Next, to keep one: deis local:start, deis register http:\/\/127\.0\.0\.1:8000/)

    expect(readdirSync(tmp)).toEqual([])
    // only the outer `npm run`'s own logs and cache: nothing of deis, ssh or git
    expect(readdirSync(home).filter(f => f !== '.npm')).toEqual([])
    expect(processesUnder(tmp)).toEqual([])
    expect(knownHostsText()).toBe(before)
  }, 300_000)

  it('on Ctrl-C stops the step it is in, the controller and the app, removes its temp HOME and exits 130', async () => {
    const {home, tmp} = fresh('interrupted')
    const child = spawn(process.execPath, [BIN, 'local:quickstart'], {cwd: home, env: {PATH: process.env.PATH, HOME: home, TMPDIR: tmp}, stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    let sent = false
    child.stdout.resume()
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      // once the app runs: the controller, its builder and an app process are all up
      if (!sent && stderr.includes('[7] Scale to two web processes')) {
        sent = true
        child.kill('SIGINT')
      }
    })
    const exitCode = await new Promise<number | null>(resolve => child.on('close', resolve))
    expect(sent).toBe(true)
    expect(exitCode).toBe(130)
    expect(stderr).toMatch(/\nError: quickstart interrupted\n$/)
    expect(readdirSync(tmp)).toEqual([])
    expect(processesUnder(tmp)).toEqual([])
  }, 300_000)

  it('fails with a one-line error when a tool is missing, and still cleans up', async () => {
    const {home, tmp} = fresh('no-ssh-keygen')
    const bin = join(root, 'no-ssh-keygen', 'bin')
    mkdirSync(bin)
    for (const tool of ['git']) symlinkSync(join('/usr/bin', tool), join(bin, tool))
    const r = await run(process.execPath, [BIN, 'local:quickstart'], {PATH: bin, HOME: home, TMPDIR: tmp})
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/\nError: ssh-keygen is not installed \(not on PATH\); install it \(the OpenSSH client\) and run the quickstart again\n$/)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(readdirSync(tmp)).toEqual([])
    expect(processesUnder(tmp)).toEqual([])
  }, 300_000)
})
