import {execFileSync, spawn} from 'node:child_process'
import {cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {LocalInstance} from '../../../src/controller/daemon.js'
import type {RuntimeStatus} from '../../../src/controller/runtime/status.js'
import {localPaths} from '../../../src/local/instance.js'
import {stopLocal} from '../../../src/local/daemon-process.js'
import {runDeis} from '../../helpers/run.js'
import {startTime} from '../../../src/controller/runtime/process.js'
import {get, SAMPLE, until} from './helpers.js'

const APP = 'example-app'

/** True while `pid` runs (a zombie waiting for its parent to reap it has exited). */
const alive = (pid: number) => startTime(pid) !== undefined

/** The app's process group leaders running from `dataDir` found in /proc, by process type (read from their HOSTNAME). */
function appProcesses(dataDir: string): Record<string, number[]> {
  const byType: Record<string, number[]> = {}
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] === 'Z' || fields[2] !== entry || !readlinkSync(`/proc/${entry}/cwd`).startsWith(`${dataDir}/`)) continue
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0')
      const host = env.find(v => v.startsWith(`HOSTNAME=${APP}-`))
      if (!host || !env.includes(`DEIS_APP=${APP}`)) continue
      const type = host.slice(`HOSTNAME=${APP}-`.length).split('-')[0]!
      ;(byType[type] ??= []).push(Number(entry))
    } catch {
      // gone meanwhile, or not ours
    }
  }
  for (const list of Object.values(byType)) list.sort((a, b) => a - b)
  return byType
}

describe('app processes follow the controller', () => {
  let root: string
  let home: string
  let data: string
  let repo: string
  const record = () => JSON.parse(readFileSync(join(data, 'controller.pid'), 'utf8')) as LocalInstance
  const status = () => JSON.parse(readFileSync(join(data, 'runtime.json'), 'utf8')) as RuntimeStatus
  const start = async () => {
    const r = await runDeis(home, ['local:start', '--port', '0', '--data-dir', data])
    expect(r).toMatchObject({exitCode: 0})
    return record()
  }
  const upCounts = () => {
    try {
      const app = status().apps.find(a => a.id === APP)
      return app && Object.fromEntries(Object.entries(app.processes).map(([t, c]) => [t, c.up]))
    } catch {
      return undefined
    }
  }

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'deis-adopt-'))
    home = join(root, 'home')
    data = join(root, 'data')
    repo = join(root, 'hello-node')
    cpSync(SAMPLE, repo, {recursive: true})
    writeFileSync(join(repo, 'Procfile'), 'web: node server.js\nworker: while true; do sleep 1; done\n')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@laptop', '-f', join(root, 'alice')])
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['add', '.'],
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'hello'],
    ])
      execFileSync('git', args, {cwd: repo})
    execFileSync('mkdir', ['-p', home])
  })
  afterAll(async () => {
    await stopLocal(localPaths(data, {}))
    rmSync(root, {recursive: true, force: true})
  })

  it('keeps serving after kill -9 of the controller, and the next start adopts exactly the desired processes', async () => {
    const rec = await start()
    const api = async (method: string, path: string, body: unknown, token?: string) => {
      const r = await fetch(`${rec.url}${path}`, {
        method,
        headers: {'Content-Type': 'application/json', ...(token ? {Authorization: `token ${token}`} : {})},
        body: JSON.stringify(body),
      })
      return {status: r.status, body: (await r.json().catch(() => undefined)) as Record<string, string> | undefined}
    }
    expect((await api('POST', '/v2/auth/register/', {username: 'alice', password: 'alicepw', email: 'alice@example.com'})).status).toBe(201)
    const token = (await api('POST', '/v2/auth/login/', {username: 'alice', password: 'alicepw'})).body!.token!
    expect((await api('POST', '/v2/keys/', {id: 'alice@laptop', public: readFileSync(join(root, 'alice.pub'), 'utf8').trim()}, token)).status).toBe(201)
    expect((await api('POST', '/v2/apps/', {id: APP}, token)).status).toBe(201)
    const push = await new Promise<number | string>(resolve => {
      const child = spawn('git', ['push', `${rec.builder!.replace('ssh://', 'ssh://git@')}/${APP}.git`, 'main'], {
        cwd: repo,
        env: {
          ...process.env,
          GIT_SSH_COMMAND: `ssh -i ${join(root, 'alice')} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let err = ''
      child.stderr.setEncoding('utf8').on('data', d => (err += d))
      child.on('close', code => resolve(code === 0 ? 0 : `${code} ${err}`))
    })
    expect(push).toBe(0)
    expect((await api('POST', `/v2/apps/${APP}/scale/`, {web: 2, worker: 1}, token)).status).toBe(204)
    await until(() => JSON.stringify(upCounts()) === JSON.stringify({web: 2, worker: 1}), 'two web processes and a worker')
    const before = appProcesses(data)
    expect([before.web?.length, before.worker?.length]).toEqual([2, 1])

    process.kill(rec.pid, 'SIGKILL')
    await until(() => !alive(rec.pid), 'the controller to die')
    // the app processes outlive it and still answer on their own ports
    expect(appProcesses(data)).toEqual(before)
    const ports = readdirSync(join(data, 'run')).map(f => JSON.parse(readFileSync(join(data, 'run', f), 'utf8')) as {type: string; port: number})
    for (const {port} of ports.filter(p => p.type === 'web')) expect((await get(port, 'anything')).status).toBe(200)

    const again = await start()
    await until(() => JSON.stringify(upCounts()) === JSON.stringify({web: 2, worker: 1}), 'the adopted processes to show as up')
    const router = Number(new URL(status().router).port)
    const r = await get(router, `${APP}.localhost`)
    expect(r.status).toBe(200)
    expect(r.body).toMatch(/^Powered by Deis\nRelease v2 on example-app-web-/)
    // the same processes, adopted: none started twice, none lost
    expect(appProcesses(data)).toEqual(before)
    const log = await fetch(`${again.url}/v2/apps/${APP}/logs/`, {headers: {Authorization: `token ${token}`}})
    expect(await log.text()).toContain('adopted from the previous controller')

    const stop = await runDeis(home, ['local:stop', '--data-dir', data])
    expect(stop.exitCode).toBe(0)
    // local:stop returns only once the controller and every app process have exited
    expect(alive(again.pid)).toBe(false)
    expect(appProcesses(data)).toEqual({})
    expect([...before.web!, ...before.worker!].filter(pid => alive(pid))).toEqual([])
  }, 120_000)
})
