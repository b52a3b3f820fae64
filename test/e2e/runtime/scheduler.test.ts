import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startRouter, type RouterHandle, type Route} from '../../../src/controller/runtime/router.js'
import {Scheduler, type Deployment} from '../../../src/controller/runtime/scheduler.js'
import {alive, get, getTls, SAMPLE, selfSigned, until} from './helpers.js'

const APP = 'example-app'
const HOST = 'example-app.localhost'

describe('scheduler and router', () => {
  let scheduler: Scheduler
  let router: RouterHandle
  let dir: string
  const lines: string[] = []
  const route: Route = {app: APP, maintenance: false, whitelist: [], httpsEnforced: false}
  const certs = new Map<string, {cert: string; key: string}>()
  const dep = (over: Partial<Deployment> = {}): Deployment => ({
    app: APP,
    version: 2,
    dir: SAMPLE,
    env: {},
    procfile: {web: 'node server.js', worker: 'while true; do sleep 1; done'},
    structure: {web: 1},
    ...over,
  })
  const states = () => scheduler.pods(APP).map(p => `${p.type} ${p.release} ${p.state}`)
  const served = async (n: number) => {
    const seen = new Set<string>()
    for (let i = 0; i < n; i++) seen.add((await get(router.httpPort, HOST)).body.split(' on ')[1]!.trim())
    return seen
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deis-sched-'))
    scheduler = new Scheduler({log: (_app, source, line) => lines.push(`${source}: ${line}`), graceMs: 2000, readyTimeoutMs: 3000, pidDir: join(dir, 'pids')})
    router = await startRouter({
      httpPort: 0,
      httpsPort: 0,
      resolve: name => (name === HOST || certs.has(name) ? route : undefined),
      backends: app => scheduler.backends(app),
      certificate: name => certs.get(name),
    })
  })
  afterAll(async () => {
    await router.close()
    await scheduler.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('starts web processes, logs their output and routes to them by Host', async () => {
    await scheduler.apply(dep())
    expect(states()).toEqual(['web v2 up'])
    expect(scheduler.pods(APP)[0]!.name).toMatch(/^example-app-web-\d{10}-[a-z0-9]{5}$/)
    const r = await get(router.httpPort, HOST)
    expect(r.status).toBe(200)
    expect(r.body).toBe(`Powered by Deis\nRelease v2 on ${scheduler.pods(APP)[0]!.name}\n`)
    await until(() => lines.some(l => /^example-app\[web\.v2\.\w{5}\]: listening on port \d+$/.test(l)), 'the log line')
  })

  it('scales up to three processes that all answer, and a worker', async () => {
    await scheduler.apply(dep({structure: {web: 3, worker: 1}}))
    expect(states().sort()).toEqual(['web v2 up', 'web v2 up', 'web v2 up', 'worker v2 up'])
    expect(await served(6)).toEqual(new Set(scheduler.pods(APP, 'web').map(p => p.name)))
  })

  it('restarts a killed process under the same name', async () => {
    const [name, pid] = Object.entries(scheduler.pids(APP)).find(([n]) => n.includes('-web-'))!
    process.kill(pid!, 'SIGKILL')
    await until(() => scheduler.pids(APP)[name] && scheduler.pids(APP)[name] !== pid && scheduler.pods(APP).find(p => p.name === name)?.state === 'up', 'the restart')
    expect(lines).toContainEqual(expect.stringMatching(/^example-app\[web\.v2\.\w{5}\]: process exited with signal SIGKILL; restarting in 0.5s$/))
    expect(alive(pid)).toBe(false)
  })

  it('rolls a new release out with the new environment', async () => {
    const before = Object.values(scheduler.pids(APP))
    await scheduler.apply(dep({version: 3, env: {POWERED_BY: 'local'}, structure: {web: 3, worker: 1}}))
    expect(states().sort()).toEqual(['web v3 up', 'web v3 up', 'web v3 up', 'worker v3 up'])
    expect((await get(router.httpPort, HOST)).body).toMatch(/^Powered by local\nRelease v3 on /)
    await until(() => before.every(pid => !alive(pid)), 'the old processes to end')
  })

  it('restarts one type with new process names', async () => {
    const old = scheduler.pods(APP, 'web').map(p => p.name)
    const pods = await scheduler.restart(APP, {type: 'web'})
    expect(pods.map(p => p.state)).toEqual(['up', 'up', 'up'])
    expect(pods.filter(p => old.includes(p.name))).toEqual([])
  })

  it('runs a one-off command with the release environment', async () => {
    expect(await scheduler.run(dep({env: {POWERED_BY: 'x'}}), 'echo $POWERED_BY $WORKFLOW_RELEASE; echo oops >&2; exit 3')).toEqual({exit_code: 3, output: 'x v2\noops\n'})
  })

  it('answers 503 in maintenance, 403 outside the whitelist, 301 when HTTPS is enforced, 404 for other hosts', async () => {
    expect((await get(router.httpPort, 'other.localhost')).status).toBe(404)
    route.maintenance = true
    expect((await get(router.httpPort, HOST)).status).toBe(503)
    route.maintenance = false
    route.whitelist = ['10.0.0.0/8']
    expect((await get(router.httpPort, HOST)).status).toBe(403)
    route.whitelist = ['10.0.0.0/8', '127.0.0.1']
    expect((await get(router.httpPort, HOST)).status).toBe(200)
    route.whitelist = []
    route.httpsEnforced = true
    const r = await get(router.httpPort, HOST, '/a?b=1')
    expect([r.status, r.headers.location]).toEqual([301, `https://${HOST}:${router.httpsPort}/a?b=1`])
    route.httpsEnforced = false
  })

  it('checks every request on a kept-alive connection on its own: a refused one is answered and the connection goes on', async () => {
    const socket = connect(router.httpPort, '127.0.0.1')
    let raw = ''
    socket.setEncoding('utf8').on('data', d => (raw += d))
    const request = (method: string, body = '') => `${method} / HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    socket.write(request('POST', 'a=1') + request('GET'))
    await until(() => raw.split('HTTP/1.1 200 OK').length === 3, 'two answers on one connection')
    route.maintenance = true
    socket.write(request('GET'))
    await until(() => raw.includes('HTTP/1.1 503 Service Temporarily Unavailable'), 'the 503')
    route.maintenance = false
    socket.write(request('GET'))
    await until(() => raw.split('HTTP/1.1 200 OK').length === 4, 'a third 200 on the same connection')
    expect(socket.destroyed).toBe(false)
    socket.destroy()
  })

  it('serves HTTPS with the certificate of the SNI name', async () => {
    certs.set('www.example.test', selfSigned(dir, 'www.example.test'))
    const r = await getTls(router.httpsPort, 'www.example.test', certs.get('www.example.test')!.cert)
    expect(r.status).toBe(200)
    expect(r.cert.subject.CN).toBe('www.example.test')
    await expect(getTls(router.httpsPort, 'nocert.example.test', certs.get('www.example.test')!.cert)).rejects.toThrow()
  })

  it('keeps the old release serving when the new one never passes its readiness probe', async () => {
    const before = scheduler.pods(APP, 'web').map(p => p.name)
    const rollout = scheduler.apply(dep({version: 4, structure: {web: 1}, healthchecks: {web: {readinessProbe: {exec: {command: ['false']}, periodSeconds: 1}}}}))
    await until(
      () => states().includes('web v3 up') && scheduler.pids(APP) && Object.keys(scheduler.pids(APP)).some(n => !before.includes(n)),
      'the new process beside the old',
    )
    expect((await get(router.httpPort, HOST)).body).toMatch(/^Powered by local\nRelease v3 on /)
    await expect(rollout).rejects.toThrow(/^example-app-web-\d{10}-\w{5} did not pass its readiness probe within 3s$/)
    expect(
      scheduler
        .pods(APP, 'web')
        .map(p => p.name)
        .sort(),
    ).toEqual([...before].sort())
    const r = await get(router.httpPort, HOST)
    expect([r.status, r.body.split(' on ')[0]]).toEqual([200, 'Powered by local\nRelease v3'])
    expect(lines).toContainEqual(expect.stringMatching(/^deploy: v4 was not deployed: .* did not pass its readiness probe within 3s; v3 keeps serving$/))
  })

  it('keeps the old release serving when the new one crashes', async () => {
    await expect(scheduler.apply(dep({version: 5, procfile: {web: 'exit 3'}, structure: {web: 1}}))).rejects.toThrow(/crashed before it became ready/)
    expect(states().sort()).toEqual(['web v3 up', 'web v3 up', 'web v3 up', 'worker v3 up'])
  })

  it('restarts a process that fails its liveness probe', async () => {
    const probe = {httpGet: {path: '/', port: 5000}, periodSeconds: 1, failureThreshold: 1}
    writeFileSync(join(dir, 'healthy'), '')
    await scheduler.apply(
      dep({
        version: 6,
        structure: {web: 1},
        healthchecks: {'web/cmd': {readinessProbe: probe, livenessProbe: {exec: {command: ['test', '-e', join(dir, 'healthy')]}, periodSeconds: 1, failureThreshold: 1}}},
      }),
    )
    expect(states()).toEqual(['web v6 up'])
    rmSync(join(dir, 'healthy'))
    await until(() => lines.some(l => l.endsWith('liveness probe failed 1 times; restarting')), 'a liveness restart')
  })

  it('stops every process when scaled to zero', async () => {
    const pids = Object.values(scheduler.pids(APP))
    await scheduler.apply(dep({version: 6, structure: {web: 0}}))
    expect(scheduler.pods(APP)).toEqual([])
    await until(() => pids.every(pid => !alive(pid)), 'the processes to end')
    expect((await get(router.httpPort, HOST)).status).toBe(503)
  })
})
