#!/usr/bin/env node
// `npm run bench:logs [-- --lines N] [-- --check]`: appends N (default 1,000,000) lines to an app's log on a
// local controller started here (temp data dir, temp HOME) while `deis logs -f` prints them to a pipe read
// here; reports lines per second and the CLI's peak RSS, beside `cat` moving the same lines through a pipe
// in the same run. The appender stays at most WINDOW lines ahead of what has been printed, so the figure
// is the CLI's rate, not the controller's buffer. Target: >= 200,000 lines/s and <= 100 MB. --check exits
// 1 when a target is missed. Needs a build (`npm run build`).
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {setImmediate as tick} from 'node:timers/promises'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.cjs')
const argv = process.argv.slice(2)
const linesAt = argv.indexOf('--lines')
const TOTAL = linesAt >= 0 ? Number(argv[linesAt + 1]) : 1_000_000
const CHECK = argv.includes('--check')
const BATCH = 5000
const WINDOW = 100_000
const TARGET = {linesPerSecond: 200_000, rssMb: 100}

const {createController} = await import(join(ROOT, 'dist/src/controller/server.js'))
const {createUser} = await import(join(ROOT, 'dist/src/controller/model/users.js'))
const {mintToken} = await import(join(ROOT, 'dist/src/controller/model/tokens.js'))
const {createApp} = await import(join(ROOT, 'dist/src/controller/model/app-lifecycle.js'))

const home = mkdtempSync(join(tmpdir(), 'deis-bench-logs-'))
const app = 'bench-app'
const time = '2026-11-25T03:18:28+00:00'
const source = `${app}[web.1]`
const message = i => `GET /api/items/${i} 200 1.234ms request_id=7f3c2a9e-${String(i).padStart(8, '0')}`

/** Peak resident set size of a live process, in MB (Linux). */
function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024
}

/** Counts the lines a child prints on stdout; `until(n)` resolves once n lines have arrived. */
function lineCounter(child) {
  let count = 0
  let first = 0
  let last = 0
  const waiters = []
  child.stdout.on('data', chunk => {
    let at = chunk.indexOf(10)
    while (at !== -1) {
      count++
      at = chunk.indexOf(10, at + 1)
    }
    last = process.hrtime.bigint()
    if (first === 0) first = last
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (count >= waiters[i].n) waiters.splice(i, 1)[0].resolve()
    }
  })
  return {
    count: () => count,
    lastAt: () => last,
    until: n => (count >= n ? Promise.resolve() : new Promise(resolve => waiters.push({n, resolve}))),
  }
}

async function benchDeis() {
  const ctl = await createController({port: 0, dataDir: join(home, 'controller')})
  // tokens are kept as hashes: the one minted here is the only chance to read it
  await createUser(ctl.store, {username: 'bench', password: 'bench', email: 'bench@example.com', is_superuser: true})
  const token = mintToken(ctl.store, 'bench')
  createApp(ctl.store, app, 'bench')
  mkdirSync(join(home, '.deis'), {recursive: true})
  writeFileSync(join(home, '.deis', 'client.json'), JSON.stringify({username: 'bench', ssl_verify: true, controller: ctl.url, token, response_limit: 0}))
  const env = {...process.env, HOME: home, DEIS_KEYCHAIN: 'off', NO_COLOR: '1'}
  for (const k of Object.keys(env)) if (k.startsWith('DEIS_') && k !== 'DEIS_KEYCHAIN') delete env[k]
  const child = spawn(process.execPath, [BIN, 'logs', '--app', app, '--follow', '--lines', '1'], {env, cwd: home, stdio: ['ignore', 'pipe', 'inherit']})
  const lines = lineCounter(child)
  // the CLI is subscribed once it has printed a line appended after it started
  ctl.store.logs.append(app, [{source, message: 'bench ready', time}])
  await lines.until(1)
  const start = process.hrtime.bigint()
  let appended = 0
  while (appended < TOTAL) {
    if (appended - (lines.count() - 1) > WINDOW) await lines.until(appended + 1 - WINDOW)
    const n = Math.min(BATCH, TOTAL - appended)
    const entries = []
    for (let i = 0; i < n; i++) entries.push({source, message: message(appended + i), time})
    ctl.store.logs.append(app, entries)
    appended += n
    await tick()
  }
  await lines.until(TOTAL + 1)
  const seconds = Number(lines.lastAt() - start) / 1e9
  const rss = peakRssMb(child.pid)
  child.kill('SIGINT')
  const code = await new Promise(resolve => child.on('close', resolve))
  await ctl.close()
  if (code !== 0) throw new Error(`deis logs -f exited with ${code}`)
  return {seconds, rss}
}

async function benchCat() {
  const child = spawn('cat', [], {stdio: ['pipe', 'pipe', 'inherit']})
  const lines = lineCounter(child)
  const start = process.hrtime.bigint()
  for (let done = 0; done < TOTAL;) {
    const n = Math.min(BATCH, TOTAL - done)
    let text = ''
    for (let i = 0; i < n; i++) text += `${time} ${source}: ${message(done + i)}\n`
    done += n
    if (!child.stdin.write(text)) await new Promise(resolve => child.stdin.once('drain', resolve))
  }
  await lines.until(TOTAL)
  const seconds = Number(lines.lastAt() - start) / 1e9
  const rss = peakRssMb(child.pid)
  child.stdin.end()
  await new Promise(resolve => child.on('close', resolve))
  return {seconds, rss}
}

const fmt = n => Math.round(n).toLocaleString('en-US')
try {
  const deis = await benchDeis()
  const cat = await benchCat()
  const rate = TOTAL / deis.seconds
  console.log(`lines: ${fmt(TOTAL)}`)
  console.log(`deis logs -f  ${fmt(rate).padStart(11)} lines/s  ${deis.seconds.toFixed(2).padStart(6)} s  peak RSS ${deis.rss.toFixed(1)} MB`)
  console.log(`cat           ${fmt(TOTAL / cat.seconds).padStart(11)} lines/s  ${cat.seconds.toFixed(2).padStart(6)} s  peak RSS ${cat.rss.toFixed(1)} MB`)
  const met = rate >= TARGET.linesPerSecond && deis.rss <= TARGET.rssMb
  console.log(`target: >= ${fmt(TARGET.linesPerSecond)} lines/s and <= ${TARGET.rssMb} MB: ${met ? 'met' : 'MISSED'}`)
  if (CHECK && !met) process.exitCode = 1
} finally {
  rmSync(home, {recursive: true, force: true})
}
