#!/usr/bin/env node
// `npm run bench:startup [-- --runs N] [-- --check]`: median wall time of `deis --version`, `deis help` and
// `deis apps:list` (against a local controller started here in a temp data dir, with a temp HOME), beside
// `node -e 0` measured in the same run, and their ratios. --check exits 1 when a target is missed.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const argv = process.argv.slice(2)
const runsAt = argv.indexOf('--runs')
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : 15
const CHECK = argv.includes('--check')

const home = mkdtempSync(join(tmpdir(), 'deis-bench-'))
const dataDir = join(home, 'controller')
const env = {...process.env, HOME: home, DEIS_KEYCHAIN: 'off', NO_COLOR: '1'}
for (const k of Object.keys(env)) if (k.startsWith('DEIS_') && k !== 'DEIS_KEYCHAIN') delete env[k]

function deis(args) {
  const r = spawnSync(process.execPath, [BIN, ...args], {env, cwd: home, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`deis ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`)
  return r.stdout.trim()
}

const cases = [
  {name: 'node -e 0', args: ['-e', '0']},
  {name: 'deis --version', args: [BIN, '--version'], target: 1.3},
  {name: 'deis help', args: [BIN, 'help'], target: undefined},
  {name: 'deis apps:list', args: [BIN, 'apps:list'], target: 2},
]

function once(args) {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, {env, cwd: home, stdio: ['ignore', 'pipe', 'pipe']})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`)
  return ms
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

let missed = false
try {
  const url = deis(['local:start', '--port', '0', '--data-dir', dataDir])
  deis(['register', url, '--username', 'bench', '--password', 'bench-password', '--email', 'bench@example.com'])
  for (let i = 0; i < 3; i++) deis(['apps:create', `bench-app-${i}`, '--no-remote'])

  const times = cases.map(() => [])
  for (const c of cases) once(c.args) // warm the file cache
  // Interleaved rounds, so a noisy moment on the machine hits every case alike.
  for (let r = 0; r < RUNS; r++) cases.forEach((c, i) => times[i].push(once(c.args)))

  const base = median(times[0])
  process.stdout.write(`median of ${RUNS} runs (node ${process.version}, ${process.platform}-${process.arch})\n`)
  for (const [i, c] of cases.entries()) {
    const m = median(times[i])
    const ratio = m / base
    const verdict = c.target === undefined ? '' : ratio <= c.target ? `  target <= ${c.target}x: ok` : `  target <= ${c.target}x: MISSED`
    if (c.target !== undefined && ratio > c.target) missed = true
    process.stdout.write(`${c.name.padEnd(16)} ${m.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2).padStart(5)}x${verdict}\n`)
  }
} finally {
  spawnSync(process.execPath, [BIN, 'local:stop', '--data-dir', dataDir], {env, stdio: 'ignore'})
  rmSync(home, {recursive: true, force: true})
}
if (CHECK && missed) process.exit(1)
