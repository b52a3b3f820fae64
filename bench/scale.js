#!/usr/bin/env node
// `node bench/scale.js [--apps N] [--running N] [--seconds N]`: the local controller at scale (issue 9's benchmark).
// Starts a local controller with `deis local:start` (temp HOME and data dir, every port picked free), measures at
// 5 apps (1 running the sample), then creates apps through the API up to --apps (10,000), --running (20) of them
// running examples/hello-node, and measures again: create rate, GET /v2/apps/?limit=10 and ?limit=100 at
// concurrency 4 (req/s, p99), `deis apps:list --all` (time, the CLI's peak RSS), router req/s to a running app,
// `local:start` of the data dir until the API answers, and the controller's RSS. Each figure is printed beside its
// target and the 5-app figure from the same run. Needs a build first (`npm run build`).
import {execFileSync, spawn} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os, {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Pool} from 'undici'

const root = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(root, 'bin', 'run.cjs')
const argv = process.argv.slice(2)
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? Number(argv[i + 1]) : fallback
}
const APPS = flag('apps', 10_000)
const RUNNING = flag('running', 20)
const SECONDS = flag('seconds', 4)
const CREATE_CONCURRENCY = 8
const LIST_CONCURRENCY = 4
const ROUTER_CONCURRENCY = 8

const work = mkdtempSync(join(tmpdir(), 'deis-bench-scale-'))
const home = join(work, 'home')
const data = join(work, 'data')
mkdirSync(home)
const cliEnv = {...process.env, HOME: home, DEIS_KEYCHAIN: 'off'}
for (const k of Object.keys(cliEnv)) if (k.startsWith('DEIS_') && k !== 'DEIS_KEYCHAIN') delete cliEnv[k]

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Runs the CLI; resolves with its output, wall time and peak RSS (GNU time's %M, in KiB). */
function deis(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], {env: cliEnv, cwd: home})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    child.on('error', reject)
    child.on('close', code => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const lines = stderr.trimEnd().split('\n')
      const rssKiB = Number(lines.pop())
      if (code !== 0) return reject(new Error(`deis ${args.join(' ')} exited ${code}: ${lines.join('\n')}`))
      resolve({stdout, seconds, rssMiB: rssKiB / 1024})
    })
  })
}

/** CPU seconds process `pid` has used (Linux /proc). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : Number.NaN
}

const record = () => JSON.parse(readFileSync(join(data, 'controller.pid'), 'utf8'))

async function startLocal() {
  const r = await deis(['local:start', '--port', '0', '--data-dir', data])
  return {...record(), seconds: r.seconds}
}

/** `n` requests made by `concurrency` workers through one pool; the rate and the 99th percentile latency. */
async function load(origin, {path, headers = {}, seconds, concurrency, method = 'GET', body, pid}) {
  const pool = new Pool(origin, {connections: concurrency, pipelining: 1})
  const latencies = []
  let failed = 0
  const one = async () => {
    const t = process.hrtime.bigint()
    const r = await pool.request({path, method, headers, body})
    await r.body.dump()
    if (r.statusCode >= 300) failed++
    return Number(process.hrtime.bigint() - t) / 1e6
  }
  // warm-up
  const warm = Date.now() + 300
  await Promise.all(
    Array.from({length: concurrency}, async () => {
      while (Date.now() < warm) await one()
    }),
  )
  const started = process.hrtime.bigint()
  const cpu = pid ? cpuSeconds(pid) : 0
  const stop = Date.now() + seconds * 1000
  await Promise.all(
    Array.from({length: concurrency}, async () => {
      while (Date.now() < stop) latencies.push(await one())
    }),
  )
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9
  const cpuUs = pid ? ((cpuSeconds(pid) - cpu) * 1e6) / latencies.length : Number.NaN
  await pool.close()
  if (failed > 0) throw new Error(`${failed} requests to ${path} failed`)
  latencies.sort((a, b) => a - b)
  return {rate: latencies.length / elapsed, p99: latencies[Math.floor(latencies.length * 0.99)], cpuUs}
}

/** Creates apps `from`..`to`-1 at CREATE_CONCURRENCY; apps per second. */
async function createApps(url, token, from, to) {
  const pool = new Pool(url, {connections: CREATE_CONCURRENCY})
  let next = from
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: CREATE_CONCURRENCY}, async () => {
      while (next < to) {
        const id = `app-${next++}`
        const r = await pool.request({
          path: '/v2/apps/',
          method: 'POST',
          headers: {authorization: `token ${token}`, 'content-type': 'application/json'},
          body: JSON.stringify({id}),
        })
        await r.body.dump()
        if (r.statusCode !== 201) throw new Error(`creating ${id}: ${r.statusCode}`)
      }
    }),
  )
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9
  await pool.close()
  return (to - from) / elapsed
}

async function api(url, token, method, path, body) {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: {...(token ? {Authorization: `token ${token}`} : {}), 'Content-Type': 'application/json'},
    body: body && JSON.stringify(body),
  })
  const text = await r.text()
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

function push(builder, app, repo, key) {
  execFileSync('git', ['push', '-q', `${builder.replace('ssh://', 'ssh://git@')}/${app}.git`, 'main'], {
    cwd: repo,
    stdio: 'ignore',
    env: {...process.env, GIT_SSH_COMMAND: `ssh -i ${key} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`},
  })
}

/** Everything measured at one size. */
async function measure(rec, token, label) {
  const headers = {authorization: `token ${token}`}
  const l10 = await load(rec.url, {path: '/v2/apps/?limit=10', headers, seconds: SECONDS, concurrency: LIST_CONCURRENCY, pid: rec.pid})
  const l100 = await load(rec.url, {path: '/v2/apps/?limit=100', headers, seconds: SECONDS, concurrency: LIST_CONCURRENCY, pid: rec.pid})
  const list = await deis(['apps:list', '--all'])
  const listed = list.stdout.split('\n').filter(l => /^app-\d+$/.test(l)).length
  const router = await load(rec.router.replace(/^http:\/\/[^:]+/, 'http://127.0.0.1'), {
    path: '/',
    headers: {host: 'app-0.localhost'},
    seconds: SECONDS,
    concurrency: ROUTER_CONCURRENCY,
    pid: rec.pid,
  })
  process.stderr.write(`measured at ${label}\n`)
  return {l10, l100, list, listed, router, rss: rssMiB(rec.pid)}
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: digits})

let failed = false
try {
  const rec = await startLocal()
  await api(rec.url, undefined, 'POST', '/v2/auth/register/', {username: 'bench', password: 'benchpw', email: 'bench@example.com'})
  const {token} = await api(rec.url, undefined, 'POST', '/v2/auth/login/', {username: 'bench', password: 'benchpw'})
  mkdirSync(join(home, '.deis'), {recursive: true})
  writeFileSync(join(home, '.deis', 'client.json'), JSON.stringify({username: 'bench', ssl_verify: true, controller: rec.url, token, response_limit: 0}), {mode: 0o600})
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench@local', '-f', join(work, 'key')])
  await api(rec.url, token, 'POST', '/v2/keys/', {id: 'bench', public: readFileSync(join(work, 'key.pub'), 'utf8').trim()})
  const repo = join(work, 'hello-node')
  cpSync(join(root, 'examples', 'hello-node'), repo, {recursive: true})
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '.'],
    ['-c', 'user.name=b', '-c', 'user.email=b@example.com', 'commit', '-q', '-m', 'hello'],
  ])
    execFileSync('git', args, {cwd: repo})

  const small = {create: await createApps(rec.url, token, 0, 5)}
  push(rec.builder, 'app-0', repo, join(work, 'key'))
  Object.assign(small, await measure(rec, token, '5 apps'))

  const big = {create: await createApps(rec.url, token, 5, APPS)}
  process.stderr.write(`created ${APPS} apps\n`)
  for (let i = 1; i < RUNNING; i++) push(rec.builder, `app-${i}`, repo, join(work, 'key'))
  Object.assign(big, await measure(rec, token, `${APPS} apps`))

  await deis(['local:stop', '--data-dir', data])
  const again = await startLocal()
  // the restarted controller answers the API, and brings the running apps back in the background
  const back = Date.now() + 60_000
  while (Date.now() < back) {
    const status = JSON.parse(readFileSync(join(data, 'runtime.json'), 'utf8'))
    if (status.apps.filter(a => a.processes.web?.up === 1).length === RUNNING) break
    await sleep(100)
  }
  const restartedRss = rssMiB(again.pid)

  const rows = [
    ['create apps/s (c=8)', small.create, big.create, '>= 300', big.create >= 300],
    ['GET ?limit=10 req/s (c=4)', small.l10.rate, big.l10.rate, '>= 2,500', big.l10.rate >= 2500],
    ['GET ?limit=10 p99 ms', small.l10.p99, big.l10.p99, '<= 50', big.l10.p99 <= 50],
    ['GET ?limit=10 controller CPU µs/req', small.l10.cpuUs, big.l10.cpuUs, '(load-independent)', true],
    ['GET ?limit=100 req/s (c=4)', small.l100.rate, big.l100.rate, '>= 1,000', big.l100.rate >= 1000],
    ['GET ?limit=100 controller CPU µs/req', small.l100.cpuUs, big.l100.cpuUs, '(load-independent)', true],
    ['apps:list --all s', small.list.seconds, big.list.seconds, '<= 2', big.list.seconds <= 2],
    ['apps:list --all CLI RSS MiB', small.list.rssMiB, big.list.rssMiB, '<= 150', big.list.rssMiB <= 150],
    [`router req/s (c=${ROUTER_CONCURRENCY})`, small.router.rate, big.router.rate, '>= 90% of 5 apps', big.router.rate >= 0.9 * small.router.rate],
    ['router controller CPU µs/req', small.router.cpuUs, big.router.cpuUs, '<= 110% of 5 apps', big.router.cpuUs <= 1.1 * small.router.cpuUs],
    ['controller RSS MiB', small.rss, Math.max(big.rss, restartedRss), '<= 300', Math.max(big.rss, restartedRss) <= 300],
    ['local:start until API answers s', rec.seconds, again.seconds, '<= 5', again.seconds <= 5],
  ]
  console.log(`local controller at scale: ${APPS} apps, ${RUNNING} running the sample (figures at 5 apps from the same run)`)
  console.log(`${'figure'.padEnd(34)}${'5 apps'.padStart(12)}${`${APPS} apps`.padStart(14)}  target`)
  for (const [name, a, b, target, ok] of rows) {
    const d = name.endsWith(' s') || name.includes('ms') ? 2 : 0
    console.log(`${name.padEnd(34)}${fmt(a, d).padStart(12)}${fmt(b, d).padStart(14)}  ${target} ${ok ? 'ok' : 'MISSED'}`)
    if (!ok) failed = true
  }
  console.log(
    `load average while measuring: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${os.cpus().length} cores); on a loaded machine the CPU µs/req rows are the figures to compare`,
  )
  console.log(`apps listed by apps:list --all: ${small.listed} and ${big.listed}; router at ${APPS} apps / 5 apps: ${fmt(big.router.rate / small.router.rate, 2)}`)
} finally {
  await deis(['local:stop', '--data-dir', data]).catch(() => undefined)
  rmSync(work, {recursive: true, force: true})
}
process.exitCode = failed ? 1 : 0
