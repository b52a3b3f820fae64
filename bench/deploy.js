#!/usr/bin/env node
// `npm run bench:deploy [-- --seconds N] [-- --check]`: pushes examples/hello-node over SSH to a local
// controller started here (temp data dir and HOME, every port picked free), prints the time from `git push`
// to the first 200 through the router, then requests/s through the router beside requests/s straight to the
// app process, measured in the same run with the same client (target: router >= 50% of direct).
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
const SECONDS = secondsAt >= 0 ? Number(argv[secondsAt + 1]) : 3
const CHECK = argv.includes('--check')
const CONCURRENCY = 32
const APP = 'example-app'

const {createController} = await import(join(root, 'dist/src/controller/server.js'))
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

/** The load generator, run in its own process so the router (in this one) does not share its thread. */
const LOAD = `
import {Agent, request} from 'node:http'
const [port, host, seconds, concurrency] = process.argv.slice(1)
const agent = new Agent({keepAlive: true, maxSockets: Number(concurrency)})
const get = () => new Promise(resolve => {
  const req = request({host: '127.0.0.1', port: Number(port), path: '/', headers: {Host: host}, agent}, res => {
    res.resume()
    res.on('end', () => resolve(res.statusCode))
  })
  req.on('error', () => resolve(0))
  req.end()
})
const until = Date.now() + Number(seconds) * 1000
let ok = 0
let failed = 0
await Promise.all(Array.from({length: Number(concurrency)}, async () => {
  while (Date.now() < until) (await get()) === 200 ? ok++ : failed++
}))
agent.destroy()
process.stdout.write(JSON.stringify({ok, failed}))
`

/** Requests per second with CONCURRENCY keep-alive clients for SECONDS, from a separate process. */
function rate(port, host) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', LOAD, String(port), host, String(SECONDS), String(CONCURRENCY)], {stdio: ['ignore', 'pipe', 'inherit']})
    let out = ''
    child.stdout.setEncoding('utf8').on('data', d => (out += d))
    child.on('error', reject)
    child.on('close', code => {
      if (code !== 0) return reject(new Error(`the load generator failed (exit ${code})`))
      const {ok, failed} = JSON.parse(out)
      if (failed > 0) console.error(`  (${failed} requests failed)`)
      resolve(ok / SECONDS)
    })
  })
}

try {
  const user = ctl.store.createUser({username: 'bench', password: 'benchpw', email: 'bench@example.com', is_superuser: true})
  const api = (method, path, body) =>
    fetch(`${ctl.url}${path}`, {method, headers: {Authorization: `token ${user.token}`, 'Content-Type': 'application/json'}, body: JSON.stringify(body)}).then(r => {
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status}`)
    })
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench@local', '-f', join(work, 'key')])
  await api('POST', '/v2/keys/', {id: 'bench', public: readFileSync(join(work, 'key.pub'), 'utf8')})
  await api('POST', '/v2/apps/', {id: APP})
  const repo = join(work, 'hello-node')
  cpSync(join(root, 'examples/hello-node'), repo, {recursive: true})
  for (const args of [['init', '-q', '-b', 'main'], ['add', '.'], ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'bench']]) {
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
  console.log(`push to first 200:  ${firstOk.toFixed(0)} ms`)
  const viaRouter = await rate(routerPort, host)
  const straight = await rate(direct, host)
  const ratio = viaRouter / straight
  console.log(`through the router: ${viaRouter.toFixed(0)} req/s`)
  console.log(`straight to app:    ${straight.toFixed(0)} req/s`)
  console.log(`router / direct:    ${(ratio * 100).toFixed(0)}% (target >= 50%)`)
  if (CHECK && ratio < 0.5) process.exitCode = 1
} finally {
  await ctl.close()
  rmSync(work, {recursive: true, force: true})
}
