import {spawn, type ChildProcess} from 'node:child_process'
import {createHash, randomInt} from 'node:crypto'
import {EventEmitter} from 'node:events'
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import type {Readable} from 'node:stream'
import {now} from '../http.js'
import {probeTimings, runProbe, tcpOpen, type Healthcheck} from './probe.js'
import {unsandboxed, type Sandbox} from './sandbox.js'

/** What one release of an app should run: the scheduler's whole input. */
export type Deployment = {
  app: string
  /** Release version; a new version means a rolling restart. */
  version: number
  /** The release's directory: processes run here. */
  dir: string
  /** The app's config values; PORT and the Workflow variables are added per process. */
  env: Record<string, string>
  /** Process type -> shell command (the build's Procfile). */
  procfile: Record<string, string>
  /** Process type -> count (the app's `structure`). */
  structure: Record<string, number>
  /** Per type, or `web/cmd`, as the config's `healthcheck` map stores them. */
  healthchecks?: Record<string, Healthcheck>
}

/** A process as the pods endpoint shows it (controller-api.md §4.11). */
export type Pod = {name: string; state: string; release: string; type: string; started: string}

/** A process's state under the names the pods endpoint uses. */
export type ProcState = 'starting' | 'up' | 'crashed' | 'terminating'

export type SchedulerOptions = {
  /** Receives every line a process prints, tagged `<type>.<n>`, and the scheduler's own notes. */
  log?: (app: string, source: string, line: string) => void
  /** SIGTERM to SIGKILL, ms (Kubernetes: 30 s). */
  graceMs?: number
  /** How long a rollout or scale waits for a new process to become ready, ms. */
  readyTimeoutMs?: number
  /** Where app code runs (processes, one-off commands, exec probes); none by default. */
  sandbox?: Sandbox
  /** Where pid files go, so a restarted controller can end processes its predecessor left behind. */
  pidDir?: string
}

type Proc = {
  app: string
  name: string
  type: string
  index: number
  dep: Deployment
  port: number
  state: ProcState
  started: string
  child: ChildProcess | undefined
  /** Incremented per spawn so loops of an earlier incarnation stop. */
  gen: number
  restarts: number
  upSince: number
  stopping: boolean
  timers: Set<NodeJS.Timeout>
  exited: Promise<void>
  onExit: () => void
}

type AppRun = {dep: Deployment | undefined; procs: Proc[]; queue: Promise<unknown>}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789'
const MAX_BACKOFF_MS = 30_000

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** A free TCP port on 127.0.0.1 (the process binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Kubernetes-style pod name: `<app>-<type>-<10 digits of the release>-<5 chars>`. */
function podName(app: string, type: string, version: number): string {
  const digits = String(createHash('sha1').update(`${app}/${type}/v${version}`).digest().readUInt32BE(0)).padStart(10, '1')
  let suffix = ''
  for (let i = 0; i < 5; i++) suffix += NAME_CHARS[randomInt(NAME_CHARS.length)]
  return `${app}-${type}-${digits}-${suffix}`
}

/** Splits a stream into lines and hands each to `each` (a trailing partial line too). */
export function eachLine(stream: Readable, each: (line: string) => void): void {
  let rest = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) each(line.replace(/\r$/, ''))
  })
  stream.on('end', () => {
    if (rest) each(rest)
  })
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/**
 * Runs every app's process types as local child processes (one process group each) and keeps the
 * table of them in memory: scale, rolling restarts on a new release, restarts of crashed processes
 * with backoff, readiness and liveness probes, and one-off commands.
 */
export class Scheduler {
  private readonly apps = new Map<string, AppRun>()
  private readonly events = new EventEmitter()
  private readonly oneOffs = new Set<ChildProcess>()
  private closed = false

  private readonly sandbox: Sandbox

  constructor(private readonly opts: SchedulerOptions = {}) {
    this.events.setMaxListeners(0)
    this.sandbox = opts.sandbox ?? unsandboxed('none given to the scheduler')
  }

  /** Ends processes listed in `pidDir` that a previous controller left running (checked by HOSTNAME). */
  reapOrphans(): void {
    const dir = this.opts.pidDir
    if (!dir) return
    mkdirSync(dir, {recursive: true})
    for (const file of readdirSync(dir)) {
      const name = file.replace(/\.pid$/, '')
      const pid = Number(readFileSync(join(dir, file), 'utf8'))
      try {
        if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`HOSTNAME=${name}`)) killGroup(pid, 'SIGKILL')
      } catch {
        // not running any more
      }
      rmSync(join(dir, file), {force: true})
    }
  }

  /** Brings the app to `dep`: a new version rolls processes one at a time, else it scales. */
  apply(dep: Deployment): Promise<void> {
    return this.serial(dep.app, async run => {
      const prev = run.dep
      run.dep = dep
      if (!prev || prev.version !== dep.version || prev.dir !== dep.dir) await this.rollout(run, dep)
      else await this.scale(run, dep)
    })
  }

  /** Stops every process of the app and forgets it (app destroyed, or no build any more). */
  remove(app: string): Promise<void> {
    return this.serial(app, async run => {
      run.dep = undefined
      await Promise.all(run.procs.map(p => this.stop(run, p)))
      this.apps.delete(app)
    })
  }

  /** Replaces the app's processes (all, one type, or one by name) one at a time; the pods afterwards. */
  restart(app: string, filter: {type?: string; name?: string} = {}): Promise<Pod[]> {
    return this.serial(app, async run => {
      const dep = run.dep
      if (!dep) return []
      const targets = this.current(run).filter(p => (!filter.type || p.type === filter.type) && (!filter.name || p.name === filter.name))
      for (const old of targets) {
        const fresh = this.start(run, dep, old.type, old.index)
        await this.ready(fresh)
        await this.stop(run, old)
      }
      return this.pods(app).filter(p => (!filter.type || p.type === filter.type))
    })
  }

  /** The app's processes of its current release as the API lists them, newest first. */
  pods(app: string, type?: string): Pod[] {
    const run = this.apps.get(app)
    if (!run) return []
    return this.current(run)
      .filter(p => !type || p.type === type)
      .sort((a, b) => b.started.localeCompare(a.started) || a.name.localeCompare(b.name))
      .map(p => ({name: p.name, state: p.state, release: `v${p.dep.version}`, type: p.type, started: p.started}))
  }

  /** Apps the scheduler holds processes for. */
  appNames(): string[] {
    return [...this.apps.keys()]
  }

  /** Ports of the app's ready `web` processes, for the router. */
  backends(app: string): number[] {
    const run = this.apps.get(app)
    if (!run) return []
    return run.procs.filter(p => p.type === 'web' && p.state === 'up' && !p.stopping).map(p => p.port)
  }

  /** Process ids by pod name (tests and `local:status` look at real processes). */
  pids(app: string): Record<string, number | undefined> {
    const out: Record<string, number | undefined> = {}
    for (const p of this.apps.get(app)?.procs ?? []) out[p.name] = p.child?.pid
    return out
  }

  /**
   * Runs `command` once with the release's environment in its directory and resolves with the
   * interleaved output and exit code (a signal counts as 128 + its number, as shells report it).
   */
  run(dep: Deployment, command: string, timeoutMs = 20 * 60_000): Promise<{exit_code: number; output: string}> {
    return new Promise(resolve => {
      const env = this.env(dep, `${dep.app}-run-${podName(dep.app, 'run', dep.version).slice(-5)}`, 0)
      delete env.PORT
      const child = spawn(...this.sandbox.wrap(['/bin/sh', '-c', command], {dir: dep.dir}), {cwd: dep.dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
      this.oneOffs.add(child)
      let output = ''
      child.stdout!.setEncoding('utf8').on('data', d => (output += d))
      child.stderr!.setEncoding('utf8').on('data', d => (output += d))
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs)
      child.on('error', error => {
        output += `${error.message}\n`
      })
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        this.oneOffs.delete(child)
        const signals: Record<string, number> = {SIGKILL: 9, SIGTERM: 15, SIGINT: 2}
        resolve({exit_code: code ?? 128 + (signal ? (signals[signal] ?? 1) : 1), output})
      })
    })
  }

  /** Stops everything (SIGTERM, then SIGKILL after the grace period); the scheduler takes no more work. */
  async close(): Promise<void> {
    this.closed = true
    for (const child of this.oneOffs) killGroup(child.pid, 'SIGKILL')
    await Promise.all([...this.apps.values()].flatMap(run => run.procs.map(p => this.stop(run, p))))
    this.apps.clear()
  }

  private serial<T>(app: string, work: (run: AppRun) => Promise<T>): Promise<T> {
    let run = this.apps.get(app)
    if (!run) {
      run = {dep: undefined, procs: [], queue: Promise.resolve()}
      this.apps.set(app, run)
    }
    const r = run
    const next = r.queue.then(() => (this.closed ? (undefined as T) : work(r)))
    r.queue = next.catch(() => undefined)
    return next
  }

  private current(run: AppRun): Proc[] {
    return run.procs.filter(p => !p.stopping && p.dep.version === run.dep?.version)
  }

  private wanted(dep: Deployment): Array<[string, number]> {
    return Object.keys(dep.procfile)
      .sort()
      .map(type => [type, Math.max(0, dep.structure[type] ?? 0)] as [string, number])
  }

  private async rollout(run: AppRun, dep: Deployment): Promise<void> {
    const wanted = this.wanted(dep)
    for (const [type, count] of wanted) {
      const old = run.procs.filter(p => p.type === type && !p.stopping && p.dep.version !== dep.version)
      for (let i = 0; i < count; i++) {
        const fresh = this.start(run, dep, type, this.freeIndex(run, type, dep.version))
        await this.ready(fresh)
        const retired = old.shift()
        if (retired) await this.stop(run, retired)
      }
      await Promise.all(old.map(p => this.stop(run, p)))
    }
    const types = new Set(wanted.map(([t]) => t))
    await Promise.all(run.procs.filter(p => !types.has(p.type) || p.dep.version !== dep.version).map(p => this.stop(run, p)))
  }

  private async scale(run: AppRun, dep: Deployment): Promise<void> {
    const fresh: Proc[] = []
    const retired: Proc[] = []
    const wanted = new Map(this.wanted(dep))
    for (const type of new Set([...wanted.keys(), ...run.procs.map(p => p.type)])) {
      const have = this.current(run)
        .filter(p => p.type === type)
        .sort((a, b) => a.index - b.index)
      const want = wanted.get(type) ?? 0
      for (let i = have.length; i < want; i++) fresh.push(this.start(run, dep, type, this.freeIndex(run, type, dep.version)))
      retired.push(...have.slice(want))
    }
    await Promise.all([...fresh.map(p => this.ready(p)), ...retired.map(p => this.stop(run, p))])
  }

  private freeIndex(run: AppRun, type: string, version: number): number {
    const used = new Set(run.procs.filter(p => p.type === type && !p.stopping && p.dep.version === version).map(p => p.index))
    let i = 1
    while (used.has(i)) i++
    return i
  }

  private env(dep: Deployment, name: string, port: number): Record<string, string> {
    return {
      ...this.sandbox.env({dir: dep.dir}),
      ...dep.env,
      PORT: String(port),
      HOSTNAME: name,
      DEIS_APP: dep.app,
      WORKFLOW_RELEASE: `v${dep.version}`,
    }
  }

  private healthcheck(dep: Deployment, type: string): Healthcheck {
    const hc = dep.healthchecks ?? {}
    return hc[type] ?? (type === 'web' || type === 'cmd' ? (hc['web/cmd'] ?? {}) : {})
  }

  private start(run: AppRun, dep: Deployment, type: string, index: number): Proc {
    const proc: Proc = {
      app: dep.app,
      name: podName(dep.app, type, dep.version),
      type,
      index,
      dep,
      port: 0,
      state: 'starting',
      started: now(),
      child: undefined,
      gen: 0,
      restarts: 0,
      upSince: 0,
      stopping: false,
      timers: new Set(),
      exited: Promise.resolve(),
      onExit: () => {},
    }
    run.procs.push(proc)
    void this.spawn(proc)
    return proc
  }

  private note(proc: Proc, line: string): void {
    this.opts.log?.(proc.app, `${proc.type}.${proc.index}`, line)
  }

  private setState(proc: Proc, state: ProcState): void {
    if (proc.state === state) return
    proc.state = state
    if (state === 'up') proc.upSince = Date.now()
    this.events.emit('change', proc)
  }

  private later(proc: Proc, ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      proc.timers.delete(timer)
      work()
    }, ms)
    proc.timers.add(timer)
  }

  private async spawn(proc: Proc): Promise<void> {
    const gen = ++proc.gen
    proc.port = await freePort()
    if (proc.stopping || gen !== proc.gen) return
    const command = proc.dep.procfile[proc.type] ?? ''
    const child = spawn(...this.sandbox.wrap(['/bin/sh', '-c', command], {dir: proc.dep.dir}), {
      cwd: proc.dep.dir,
      env: this.env(proc.dep, proc.name, proc.port),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    proc.child = child
    proc.exited = new Promise(resolve => {
      proc.onExit = resolve
    })
    this.setState(proc, 'starting')
    if (this.opts.pidDir && child.pid) {
      mkdirSync(this.opts.pidDir, {recursive: true})
      writeFileSync(join(this.opts.pidDir, `${proc.name}.pid`), String(child.pid))
    }
    eachLine(child.stdout!, line => this.note(proc, line))
    eachLine(child.stderr!, line => this.note(proc, line))
    let ended = false
    const end = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (ended) return
      ended = true
      this.exited(proc, gen, code, signal, error)
    }
    child.on('error', error => end(null, null, error))
    child.on('exit', (code, signal) => end(code, signal))
    void this.readiness(proc, gen)
    void this.liveness(proc, gen)
  }

  private alive(proc: Proc, gen: number): boolean {
    return !proc.stopping && proc.gen === gen && proc.child !== undefined
  }

  private exited(proc: Proc, gen: number, code: number | null, signal: NodeJS.Signals | null, error?: Error): void {
    if (gen !== proc.gen) return
    // the group may hold children of the shell that outlived it and still hold the port
    killGroup(proc.child?.pid, 'SIGKILL')
    proc.child = undefined
    if (this.opts.pidDir) rmSync(join(this.opts.pidDir, `${proc.name}.pid`), {force: true})
    proc.onExit()
    if (proc.stopping) return
    if (proc.upSince && Date.now() - proc.upSince > MAX_BACKOFF_MS) proc.restarts = 0
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** proc.restarts)
    proc.restarts++
    const why = error ? error.message : signal ? `signal ${signal}` : `status ${code}`
    this.note(proc, `process exited with ${why}; restarting in ${delay / 1000}s`)
    this.setState(proc, 'crashed')
    this.later(proc, delay, () => {
      if (!proc.stopping && !this.closed) void this.spawn(proc)
    })
  }

  private async readiness(proc: Proc, gen: number): Promise<void> {
    const probe = this.healthcheck(proc.dep, proc.type).readinessProbe
    if (!probe) {
      // Without a probe Kubernetes calls a running container ready; locally a web process is
      // ready once it listens on PORT, so the router never sends traffic to a booting process.
      if (proc.type !== 'web') return this.setState(proc, 'up')
      while (this.alive(proc, gen)) {
        if (await tcpOpen(proc.port, 1000)) {
          if (this.alive(proc, gen)) this.setState(proc, 'up')
          return
        }
        await sleep(50)
      }
      return
    }
    const t = probeTimings(probe)
    await sleep(t.delay)
    let ok = 0
    let bad = 0
    while (this.alive(proc, gen)) {
      const passed = await runProbe(probe, proc.port, proc.dep.dir, this.env(proc.dep, proc.name, proc.port), argv => this.sandbox.wrap(argv, {dir: proc.dep.dir}))
      if (!this.alive(proc, gen)) return
      ok = passed ? ok + 1 : 0
      bad = passed ? 0 : bad + 1
      if (ok >= t.success) this.setState(proc, 'up')
      if (bad >= t.failure) this.setState(proc, 'starting')
      await sleep(t.period)
    }
  }

  private async liveness(proc: Proc, gen: number): Promise<void> {
    const probe = this.healthcheck(proc.dep, proc.type).livenessProbe
    if (!probe) return
    const t = probeTimings(probe)
    await sleep(t.delay)
    let bad = 0
    while (this.alive(proc, gen)) {
      const passed = await runProbe(probe, proc.port, proc.dep.dir, this.env(proc.dep, proc.name, proc.port), argv => this.sandbox.wrap(argv, {dir: proc.dep.dir}))
      if (!this.alive(proc, gen)) return
      bad = passed ? 0 : bad + 1
      if (bad >= t.failure) {
        this.note(proc, `liveness probe failed ${bad} times; restarting`)
        killGroup(proc.child?.pid, 'SIGKILL')
        return
      }
      await sleep(t.period)
    }
  }

  /** Resolves once `proc` is up, has crashed or stopped, or the ready timeout passed. */
  private ready(proc: Proc): Promise<boolean> {
    if (proc.state === 'up') return Promise.resolve(true)
    return new Promise(resolve => {
      const done = (ok: boolean) => {
        clearTimeout(timer)
        this.events.off('change', onChange)
        resolve(ok)
      }
      const onChange = (p: Proc) => {
        if (p !== proc) return
        if (p.state === 'up') done(true)
        else if (p.state === 'crashed' || p.state === 'terminating') done(false)
      }
      const timer = setTimeout(() => done(false), this.opts.readyTimeoutMs ?? 30_000)
      this.events.on('change', onChange)
    })
  }

  private async stop(run: AppRun, proc: Proc): Promise<void> {
    if (!proc.stopping) {
      proc.stopping = true
      for (const timer of proc.timers) clearTimeout(timer)
      proc.timers.clear()
      this.setState(proc, 'terminating')
      const pid = proc.child?.pid
      if (pid) {
        killGroup(pid, 'SIGTERM')
        const kill = setTimeout(() => killGroup(pid, 'SIGKILL'), this.opts.graceMs ?? 10_000)
        await proc.exited
        clearTimeout(kill)
      }
    } else {
      await proc.exited
    }
    const i = run.procs.indexOf(proc)
    if (i >= 0) run.procs.splice(i, 1)
  }
}
