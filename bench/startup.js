#!/usr/bin/env node
// `npm run bench:startup [-- --runs N] [-- --installed <prefix>] [-- --check]`: median wall time of `deis --version`,
// `deis help` and `deis apps:list` (against a local controller started here on port 0 in a temp data dir, with a
// temp HOME), run from the clone (`node bin/run.cjs`) and as installed from the packed tarball (`<prefix>/bin/deis`,
// through its shebang as a user's shell runs it), beside `node -e 0` measured in the same run, and their ratios.
// Targets: --version <= 1.3x, apps:list <= 2.0x. --check exits 1 when one is missed.
// Needs a build first (`npm run build`). The tarball is packed from the build and installed into a temp prefix with
// --ignore-scripts: what starts a command loads no native module, and compiling better-sqlite3 would add minutes.
// --installed <prefix> measures a prefix installed already (e.g. by .ci/run) instead.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.cjs')
const argv = process.argv.slice(2)
const option = name => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
const RUNS = Number(option('--runs') ?? 15)
const CHECK = argv.includes('--check')

const home = mkdtempSync(join(tmpdir(), 'deis-bench-'))
const dataDir = join(home, 'controller')
// the installed `deis` finds node on PATH (its shebang); this one, so both sides run the same Node
const env = {...process.env, HOME: home, DEIS_KEYCHAIN: 'off', NO_COLOR: '1', PATH: `${dirname(process.execPath)}:${process.env.PATH}`}
for (const k of Object.keys(env)) if (k.startsWith('DEIS_') && k !== 'DEIS_KEYCHAIN') delete env[k]
for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k]

function deis(args) {
  const r = spawnSync(process.execPath, [BIN, ...args], {env, cwd: home, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`deis ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`)
  return r.stdout.trim()
}

/** Packs the built clone and installs the tarball into a temp prefix, as `npm install -g` does; returns its bin/deis. */
function install() {
  const prefix = join(home, 'prefix')
  mkdirSync(prefix)
  const npm = {cwd: ROOT, env: {...env, HOME: home}, stdio: ['ignore', 'pipe', 'inherit']}
  execFileSync('npm', ['pack', '--ignore-scripts', '--loglevel=warn', '--no-update-notifier', '--pack-destination', home], npm)
  const tgz = readdirSync(home).find(f => f.endsWith('.tgz'))
  execFileSync(
    'npm',
    ['install', '--global', '--prefix', prefix, '--ignore-scripts', '--loglevel=warn', '--no-audit', '--no-fund', '--no-update-notifier', join(home, tgz)],
    npm,
  )
  return join(prefix, 'bin', 'deis')
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function once(cmd, args) {
  const start = process.hrtime.bigint()
  const r = spawnSync(cmd, args, {env, cwd: home, stdio: ['ignore', 'pipe', 'pipe']})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`)
  return ms
}

let missed = false
try {
  const installedPrefix = option('--installed')
  const installed = installedPrefix ? join(installedPrefix, 'bin', 'deis') : install()
  const url = deis(['local:start', '--port', '0', '--data-dir', dataDir])
  deis(['register', url, '--username', 'bench', '--password', 'bench-password', '--email', 'bench@example.com'])
  for (let i = 0; i < 3; i++) deis(['apps:create', `bench-app-${i}`, '--no-remote'])

  const node = process.execPath
  const cases = [
    {name: 'node -e 0', cmd: node, args: ['-e', '0']},
    {name: 'deis --version', where: 'installed', cmd: installed, args: ['--version'], target: 1.3},
    {name: 'deis help', where: 'installed', cmd: installed, args: ['help']},
    {name: 'deis apps:list', where: 'installed', cmd: installed, args: ['apps:list'], target: 2},
    {name: 'deis --version', where: 'clone', cmd: node, args: [BIN, '--version'], target: 1.3},
    {name: 'deis help', where: 'clone', cmd: node, args: [BIN, 'help']},
    {name: 'deis apps:list', where: 'clone', cmd: node, args: [BIN, 'apps:list'], target: 2},
  ]
  const times = cases.map(() => [])
  // warm the file cache, and let each side write its V8 code cache
  for (let i = 0; i < 2; i++) for (const c of cases) once(c.cmd, c.args)
  // Interleaved rounds, so a noisy moment on the machine hits every case alike.
  for (let r = 0; r < RUNS; r++) cases.forEach((c, i) => times[i].push(once(c.cmd, c.args)))

  const base = median(times[0])
  process.stdout.write(`median of ${RUNS} runs (node ${process.version}, ${process.platform}-${process.arch}); installed: ${installed}\n`)
  for (const [i, c] of cases.entries()) {
    const m = median(times[i])
    const ratio = m / base
    const verdict = c.target === undefined ? '' : ratio <= c.target ? `  target <= ${c.target}x: ok` : `  target <= ${c.target}x: MISSED`
    if (c.target !== undefined && ratio > c.target) missed = true
    const label = c.where ? `${c.name} (${c.where})` : c.name
    process.stdout.write(`${label.padEnd(27)} ${m.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2).padStart(5)}x${verdict}\n`)
  }
} finally {
  spawnSync(process.execPath, [BIN, 'local:stop', '--data-dir', dataDir], {env, stdio: 'ignore'})
  rmSync(home, {recursive: true, force: true})
}
if (CHECK && missed) process.exit(1)
