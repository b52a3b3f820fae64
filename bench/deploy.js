#!/usr/bin/env node
// `npm run bench:deploy [-- --seconds N] [-- --rounds N] [-- --verbose] [-- --check]`: pushes examples/hello-node
// over SSH to a local controller started here (temp data dir and HOME, every port picked free), prints the time
// from `git push` to the first 200 through the router, then requests/s through the router beside requests/s
// straight to the app process (target: router >= 50% of direct). Both are measured in the same run with the same
// client and concurrency: a warm-up of each, then --rounds (7) alternating pairs of --seconds (1.5) each, reporting
// the medians, the median of the pairs' ratios, and the CPU time per request of the client, the router (this
// process) and the app, since on a small machine the three compete for the same cores.
// Needs a build first (`npm run build`): it loads the controller from dist/.
import {execFileSync, spawn} from 'node:child_process'
import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {request} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const argv = process.argv.slice(2)
const secondsAt = argv.indexOf('--seconds')
const roundsAt = argv.indexOf('--rounds')
const SECONDS = secondsAt >= 0 ? Number(argv[secondsAt + 1]) : 1.5
const ROUNDS = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 7
const CHECK = argv.includes('--check')
const VERBOSE = argv.includes('--verbose')
const CONCURRENCY = 32
/** Upper bound on the answers one measurement counts (it normally ends on time first). */
const LIMIT = 1_000_000
const WARM_MS = 300
const APP = 'example-app'

const {createController} = await import(join(root, 'dist/src/controller/server.js'))
const {createUser} = await import(join(root, 'dist/src/controller/model/users.js'))
const {mintToken} = await import(join(root, 'dist/src/controller/model/tokens.js'))
const work = mkdtempSync(join(tmpdir(), 'deis-bench-deploy-'))
const data = join(work, 'data')
const ctl = await createController({port: 0, dataDir: data, runtime: {dataDir: data, builderPort: 0, httpPort: 0, httpsPort: 0}})

function get(port, host, agent) {
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, path: '/', headers: {Host: host}, agent}, res => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * The load generator, run in its own process so the router (in this one) does not share its thread:
 * CONCURRENCY keep-alive connections (one node:http Agent, one request in flight per connection) to
 * 127.0.0.1, WARM_MS of warm-up, then counting for `seconds` or `limit` answers, whichever comes first.
 * It prints what it counted, the time it took and its own CPU time, so its cost can be reported too.
 */
const LOAD = `
import {Agent, request} from 'node:http'
const [port, host, seconds, concurrency, limit, warmMs] = process.argv.slice(1).map((v, i) => (i === 1 ? v : Number(v)))
const agent = new Agent({keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency})
const options = {host: '127.0.0.1', port, path: '/', headers: {Host: host}, agent}
const get = () => new Promise(resolve => {
  const req = request(options, res => {
    res.on('data', () => {})
    res.on('end', () => resolve(res.statusCode === 200))
  })
  req.on('error', () => resolve(false))
  req.end()
})
let counting = false
let ok = 0
let failed = 0
let stop = Date.now() + warmMs
const loop = async () => {
  while (Date.now() < stop && ok + failed < limit) {
    const good = await get()
    if (counting) good ? ok++ : failed++
  }
}
await Promise.all(Array.from({length: concurrency}, loop))
counting = true
const cpu = process.cpuUsage()
const started = process.hrtime.bigint()
stop = Date.now() + seconds * 1000
await Promise.all(Array.from({length: concurrency}, loop))
const elapsed = Number(process.hrtime.bigint() - started) / 1e9
const used = process.cpuUsage(cpu)
agent.destroy()
process.stdout.write(JSON.stringify({ok, failed, elapsed, cpu: (used.user + used.system) / 1e6}))
`

/** CPU seconds used so far by process `pid` and its descendants (Linux /proc), or NaN where that cannot be read. */
function cpuOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean)
    return (Number(fields[11]) + Number(fields[12])) / 100 + children.reduce((sum, child) => sum + cpuOf(child), 0)
  } catch {
    return Number.NaN
  }
}

/**
 * One measurement: requests/s from a separate load process, and the CPU time per answer of the load
 * process, this process (the router lives here) and the app process while it ran.
 */
function measure(port, host, appPid, seconds) {
  return new Promise((resolve, reject) => {
    const args = [String(port), host, String(seconds), String(CONCURRENCY), String(LIMIT), String(WARM_MS)]
    const child = spawn(process.execPath, ['--input-type=module', '-e', LOAD, ...args], {stdio: ['ignore', 'pipe', 'inherit']})
    const mine = process.cpuUsage()
    const app = cpuOf(appPid)
    const timer = setTimeout(() => child.kill(), (seconds + 30) * 1000)
    let out = ''
    child.stdout.setEncoding('utf8').on('data', d => (out += d))
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      if (code !== 0) return reject(new Error(`the load generator failed (exit ${code})`))
      const used = process.cpuUsage(mine)
      const {ok, failed, elapsed, cpu} = JSON.parse(out || '{}')
      if (!(ok > 0) || failed > 0) return reject(new Error(`${failed} of ${ok + failed} requests to port ${port} failed`))
      const us = s => (s * 1e6) / ok
      resolve({rate: ok / elapsed, client: us(cpu), router: us((used.user + used.system) / 1e6), app: us(cpuOf(appPid) - app)})
    })
  })
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

try {
  // tokens are kept as hashes: the one minted here is the only chance to read it
  await createUser(ctl.store, {username: 'bench', password: 'benchpw', email: 'bench@example.com', is_superuser: true})
  const token = mintToken(ctl.store, 'bench')
  const api = (method, path, body) =>
    fetch(`${ctl.url}${path}`, {method, headers: {Authorization: `token ${token}`, 'Content-Type': 'application/json'}, body: JSON.stringify(body)}).then(r => {
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status}`)
    })
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench@local', '-f', join(work, 'key')])
  await api('POST', '/v2/keys/', {id: 'bench', public: readFileSync(join(work, 'key.pub'), 'utf8')})
  await api('POST', '/v2/apps/', {id: APP})
  const repo = join(work, 'hello-node')
  cpSync(join(root, 'examples/hello-node'), repo, {recursive: true})
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '.'],
    ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'bench'],
  ]) {
    execFileSync('git', args, {cwd: repo})
  }
  const {builder, router, platform_domain: domain} = ctl.runtime.addresses()
  const host = `${APP}.${domain}`
  const routerPort = Number(router.split(':').pop())
  const started = process.hrtime.bigint()
  const push = spawn('git', ['push', `ssh://git@${builder.replace('ssh://', '')}/${APP}.git`, 'main'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {...process.env, GIT_SSH_COMMAND: `ssh -i ${join(work, 'key')} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`},
  })
  let pushLog = ''
  push.stderr.setEncoding('utf8').on('data', d => (pushLog += d))
  const pushed = new Promise(resolve => push.on('close', resolve))
  while ((await get(routerPort, host, false).catch(() => 0)) !== 200) {
    if (push.exitCode !== null && push.exitCode !== 0) throw new Error(`git push failed:\n${pushLog}`)
    await new Promise(r => setTimeout(r, 10))
  }
  const firstOk = Number(process.hrtime.bigint() - started) / 1e6
  await pushed
  const direct = ctl.runtime.scheduler.backends(APP)[0]
  const appPid = Object.values(ctl.runtime.scheduler.pids(APP))[0]
  console.log(`push to first 200:  ${firstOk.toFixed(0)} ms`)
  // warm-up (JIT, connection pools) on both paths, then ROUNDS alternating pairs (ABBA order) of equal length
  await measure(routerPort, host, appPid, 1)
  await measure(direct, host, appPid, 1)
  const rounds = []
  for (let i = 0; i < ROUNDS; i++) {
    const pair = {}
    for (const leg of i % 2 ? ['direct', 'router'] : ['router', 'direct']) pair[leg] = await measure(leg === 'router' ? routerPort : direct, host, appPid, SECONDS)
    rounds.push(pair)
    if (VERBOSE) {
      const leg = m => `${m.rate.toFixed(0)} req/s (cpu µs/request: client ${m.client.toFixed(0)}, router ${m.router.toFixed(0)}, app ${m.app.toFixed(0)})`
      console.log(`  round ${i + 1}: router ${leg(pair.router)}, direct ${leg(pair.direct)}, ${((100 * pair.router.rate) / pair.direct.rate).toFixed(0)}%`)
    }
  }
  const med = (leg, key) => median(rounds.map(r => r[leg][key]))
  const ratio = median(rounds.map(r => r.router.rate / r.direct.rate))
  const cpu = leg => `client ${med(leg, 'client').toFixed(0)}, router ${leg === 'router' ? med(leg, 'router').toFixed(0) : '-'}, app ${med(leg, 'app').toFixed(0)}`
  console.log(`through the router: ${med('router', 'rate').toFixed(0)} req/s (median of ${ROUNDS} rounds of ${SECONDS} s, ${CONCURRENCY} connections)`)
  console.log(`straight to app:    ${med('direct', 'rate').toFixed(0)} req/s`)
  console.log(`router / direct:    ${(ratio * 100).toFixed(0)}% (median of the rounds' ratios; target >= 50%)`)
  console.log(`cpu µs per request: through the router: ${cpu('router')}; straight: ${cpu('direct')}`)
  // what the ratio would be if CPU time were all that limited both legs (it varies far less with other load)
  const cpuRatio = (med('direct', 'client') + med('direct', 'app')) / (med('router', 'client') + med('router', 'router') + med('router', 'app'))
  if (Number.isFinite(cpuRatio)) console.log(`cpu-bound ratio:    ${(cpuRatio * 100).toFixed(0)}% (direct's CPU per request / the router leg's)`)
  if (CHECK && ratio < 0.5) process.exitCode = 1
} finally {
  await ctl.close()
  rmSync(work, {recursive: true, force: true})
}
