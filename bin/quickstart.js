#!/usr/bin/env node
// `npm run quickstart [-- --port <port>]`: starts a throw-away local controller and walks the first steps
// (register -> create -> info -> destroy) through ./bin/run.js, then stops it and removes its files.
// Everything lives in one temp dir, the HOME of the commands it runs (data dir and profile file), so the user's
// ~/.deis and keychain are never touched, and `register` finds the running controller as it would in a real HOME.
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('run.js', import.meta.url))
const argv = process.argv.slice(2)
const portIndex = argv.indexOf('--port')
const port = portIndex >= 0 ? argv[portIndex + 1] : '8000'
if (!/^\d+$/.test(port ?? '')) {
  process.stderr.write('Error: usage: npm run quickstart [-- --port <port>]\n')
  process.exit(2)
}

const work = mkdtempSync(join(tmpdir(), 'deis-quickstart-'))
const dataDir = join(work, '.deis', 'local')
const env = {...process.env, HOME: work, DEIS_PROFILE: join(work, 'profile.json'), DEIS_KEYCHAIN: 'off'}
const password = randomBytes(12).toString('hex')

/** Runs one deis command as the user would type it; stdout is captured when `capture` is set. */
function deis(args, {capture = false, shown = args} = {}) {
  process.stdout.write(`\n$ deis ${shown.join(' ')}\n`)
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd: work, env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8'})
  if (capture) process.stdout.write(r.stdout ?? '')
  if (r.status !== 0) throw new Error(`\`deis ${shown[0]}\` failed (exit ${r.status ?? r.signal})`)
  return (r.stdout ?? '').trim()
}

let failed = false
// Ctrl-C reaches the running deis command too; handling it here lets the cleanup below still run.
let interrupted = false
process.on('SIGINT', () => (interrupted = true))
try {
  const url = deis(['local:start', '--port', port, '--data-dir', dataDir], {capture: true})
  const user = ['--username', 'quickstart', '--email', 'quickstart@example.com']
  deis(['register', url, ...user, '--password', password], {shown: ['register', url, ...user, '--password', '***']})
  deis(['apps:create', 'example-app', '--no-remote'])
  deis(['apps:info', '--app', 'example-app'])
  deis(['apps:destroy', '--app', 'example-app', '--confirm', 'example-app'])
} catch (error) {
  failed = true
  process.stderr.write(`\nquickstart: ${error.message}\n`)
} finally {
  spawnSync(process.execPath, [BIN, 'local:stop', '--data-dir', dataDir], {env, stdio: 'ignore'})
  rmSync(work, {recursive: true, force: true})
}
if (interrupted) process.exit(130)
if (failed) process.exit(1)
process.stdout.write('\nQuickstart finished: the local controller works. Keep one running with `deis local:start`, then `deis register http://127.0.0.1:8000`.\n')
