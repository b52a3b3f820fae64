import {spawn} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {localPaths} from '../../../src/local/instance.js'
import {stopLocal} from '../../../src/local/daemon-process.js'
import {rebuildCommand} from '../../../src/local/native.js'
import {runDeis} from '../../helpers/run.js'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))

function run(bin: string, args: string[], home: string): Promise<{exitCode: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const env = {...process.env, HOME: home, DEIS_KEYCHAIN: 'off'}
    for (const k of Object.keys(env)) if (k.startsWith('DEIS_') && k !== 'DEIS_KEYCHAIN') delete env[k]
    const child = spawn(process.execPath, [bin, ...args], {env, cwd: home, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    child.on('error', reject)
    child.on('close', exitCode => resolve({exitCode, stdout, stderr}))
  })
}

describe('local:start when better-sqlite3 cannot load', () => {
  let tmp: string
  let pkg: string
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'deis-native-'))
    // an npm global folder as `npm install -g --ignore-scripts` leaves it: better-sqlite3's JavaScript without its build
    pkg = join(tmp, 'prefix', 'lib', 'node_modules', 'deis')
    mkdirSync(join(pkg, 'node_modules'), {recursive: true})
    for (const f of ['package.json', 'oclif.manifest.json', 'bin', 'dist']) cpSync(join(REPO, f), join(pkg, f), {recursive: true})
    for (const dep of readdirSync(join(REPO, 'node_modules'))) {
      if (dep !== 'better-sqlite3' && !dep.startsWith('.')) symlinkSync(join(REPO, 'node_modules', dep), join(pkg, 'node_modules', dep))
    }
    for (const f of ['package.json', 'lib']) cpSync(join(REPO, 'node_modules', 'better-sqlite3', f), join(pkg, 'node_modules', 'better-sqlite3', f), {recursive: true})
    mkdirSync(join(tmp, 'home'))
  })
  afterAll(() => rmSync(tmp, {recursive: true, force: true}))

  it('exits 1 with one line naming the install dir and the rebuild command, and starts nothing', async () => {
    const dataDir = join(tmp, 'data')
    const r = await run(join(pkg, 'bin', 'run.cjs'), ['local:start', '--port', '0', '--data-dir', dataDir], join(tmp, 'home'))
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: the local controller needs better-sqlite3, whose native module in ${pkg} is missing (its build did not run, or failed); run \`npm rebuild -g better-sqlite3\`\n`,
    })
    expect(existsSync(dataDir)).toBe(false)
  })
})

describe('the rebuild command named', () => {
  it('fits where deis is installed', () => {
    expect(rebuildCommand('/usr/local/lib/node_modules/deis')).toBe('npm rebuild -g better-sqlite3')
    expect(rebuildCommand('/home/u/project/node_modules/deis')).toBe('cd /home/u/project && npm rebuild better-sqlite3')
    expect(rebuildCommand('/home/u/src/deis')).toBe('cd /home/u/src/deis && npm rebuild better-sqlite3')
  })
})

describe('local:start when the controller fails as it starts', () => {
  let root: string
  const dataDir = () => join(root, 'data')
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'deis-nostart-'))
    // the database path is a directory: SQLite cannot open it, and the daemon logs the error with its stack
    mkdirSync(join(dataDir(), 'controller.db'), {recursive: true})
  })
  afterAll(async () => {
    await stopLocal(localPaths(dataDir(), {}))
    rmSync(root, {recursive: true, force: true})
  })

  it('names the error from the log, not a stack frame', async () => {
    const r = await runDeis(root, ['local:start', '--port', '0', '--data-dir', dataDir()])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Starting the local controller... Error: the local controller did not start: unable to open database file; see ${join(dataDir(), 'controller.log')}\n`,
    })
  })
})
