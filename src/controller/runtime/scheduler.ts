import type {Pod} from '../../api/types.js'
import {processSource} from '../model/logs.js'
import {podName, runPodName} from './pod-names.js'
import type {Healthcheck} from './probe.js'
import {killGroup, livePidRecords, spawnApp, Supervised, type PidRecord, type ProcState} from './process.js'
import {unsandboxed, type Sandbox} from './sandbox.js'

/** What one release of an app should run: the scheduler's whole input. */
export type Deployment = {
  app: string
  /** Release version; a new version means a rollout. */
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
  /** Per type, seconds from SIGTERM to SIGKILL (`deis timeouts:set`, the config's `termination_grace_period`). */
  graceSeconds?: Record<string, number | string>
}

export type {Pod} from '../../api/types.js'

export type {ProcState}
/** Line splitting moved to process.ts with the rest of supervising a process; slug.ts still reads it here. */
export {eachLine} from './process.js'

export type SchedulerOptions = {
  /** Receives every line a process prints, tagged `<type>.<n>`, and the scheduler's own notes (source `deploy`). */
  log?: (app: string, source: string, line: string) => void
  /** Called after a process of the app changed state (the runtime republishes its status). */
  changed?: (app: string) => void
  /** SIGTERM to SIGKILL, ms (Kubernetes: 30 s). */
  graceMs?: number
  /** How long a rollout waits for its new processes to become ready, ms (Workflow's deploy timeout: 120 s). */
  readyTimeoutMs?: number
  /** Where app code runs (processes, one-off commands, exec probes); none by default. */
  sandbox?: Sandbox
  /** Where pid files go, so a restarted controller can adopt or end what its predecessor left running. */
  pidDir?: string
}

/** A rollout whose new processes did not become ready: they were stopped and the old ones kept serving. */
export class RolloutError extends Error {}

type AppRun = {dep: Deployment | undefined; procs: Supervised[]; queue: Promise<unknown>}

export const DEFAULT_READY_TIMEOUT_MS = 120_000

/**
 * The desired state of every app (which release, how many processes of each type) kept apart from
 * supervising each process (process.ts): apply a release as a rollout that cannot take the app
 * down, scale, restart, one-off runs, and adoption of processes an earlier controller left running.
 */
export class Scheduler {
  private readonly apps = new Map<string, AppRun>()
  private readonly oneOffs = new Set<number>()
  /** Processes a previous controller left running, by app, until the app's first apply adopts or stops them. */
  private orphans = new Map<string, PidRecord[]>()
  private closed = false

  private readonly sandbox: Sandbox

  constructor(private readonly opts: SchedulerOptions = {}) {
    this.sandbox = opts.sandbox ?? unsandboxed('none given to the scheduler')
  }

  /** Collects the live processes listed in `pidDir`; `apply` adopts those the release still wants. */
  findOrphans(): void {
    if (!this.opts.pidDir) return
    for (const rec of livePidRecords(this.opts.pidDir)) {
      const list = this.orphans.get(rec.app) ?? []
      list.push(rec)
      this.orphans.set(rec.app, list)
    }
  }

  /** Stops the processes no apply adopted (their app is gone or has no build any more). */
  async stopOrphans(): Promise<void> {
    const left = [...this.orphans.values()].flat()
    this.orphans.clear()
    await Promise.all(left.map(rec => this.retire(rec)))
  }

  /** Apps that still have leftover processes waiting for their first apply. */
  orphanApps(): string[] {
    return [...this.orphans.keys()]
  }

  /**
   * Brings the app to `dep`. A new release starts beside the old one and traffic moves only when
   * every new process is ready; otherwise the new ones stop, the old ones keep serving, and this
   * rejects with a RolloutError saying what did not become ready. The same release only scales.
   */
  apply(dep: Deployment): Promise<void> {
    return this.serial(dep.app, async run => {
      const prev = run.dep
      const adopted = this.adoptOrphans(run, dep)
      if (prev && prev.version === dep.version && prev.dir === dep.dir) {
        run.dep = dep
        return this.scale(run, dep)
      }
      if (adopted) {
        run.dep = dep
        return this.scale(run, dep)
      }
      return this.rollout(run, prev, dep)
    })
  }

  /** Stops every process of the app and forgets it (app destroyed, or no build any more). */
  remove(app: string): Promise<void> {
    const orphans = this.orphans.get(app) ?? []
    this.orphans.delete(app)
    return this.serial(app, async run => {
      run.dep = undefined
      await Promise.all([...run.procs.map(p => this.stop(run, p)), ...orphans.map(rec => this.retire(rec))])
      this.apps.delete(app)
    })
  }

  /** Replaces the app's processes (all, one type, or one by name) one at a time; the pods afterwards. */
  restart(app: string, filter: {type?: string; name?: string} = {}): Promise<Pod[]> {
    return this.serial(app, async run => {
      const dep = run.dep
      if (!dep) return []
      const targets = this.current(run).filter(p => (!filter.type || p.spec.type === filter.type) && (!filter.name || p.name === filter.name))
      for (const old of targets) {
        const fresh = this.start(run, dep, old.spec.type, old.spec.index)
        await fresh.ready(this.readyTimeout())
        await this.stop(run, old)
      }
      return this.pods(app).filter(p => !filter.type || p.type === filter.type)
    })
  }

  /** The app's processes of its current release as the API lists them, newest first. */
  pods(app: string, type?: string): Pod[] {
    const run = this.apps.get(app)
    if (!run) return []
    return this.current(run)
      .filter(p => !type || p.spec.type === type)
      .sort((a, b) => b.started.localeCompare(a.started) || a.name.localeCompare(b.name))
      .map(p => ({name: p.name, state: p.state, release: `v${p.spec.version}`, type: p.spec.type, started: p.started}))
  }

  /** Apps the scheduler holds processes for. */
  appNames(): string[] {
    return [...this.apps.keys()]
  }

  /** Ports of the app's ready `web` processes, for the router. */
  backends(app: string): number[] {
    const run = this.apps.get(app)
    if (!run) return []
    const ports: number[] = []
    for (const p of run.procs) if (p.spec.type === 'web' && p.state === 'up' && !p.stopping) ports.push(p.port)
    return ports
  }

  /** Process ids by pod name (tests and `local:status` look at real processes). */
  pids(app: string): Record<string, number | undefined> {
    const out: Record<string, number | undefined> = {}
    for (const p of this.apps.get(app)?.procs ?? []) out[p.name] = p.processId
    return out
  }

  /** Ports by pod name of the app's running processes (for `local:status`'s listening-address check). */
  ports(app: string): Array<{name: string; pid: number | undefined; port: number}> {
    return (this.apps.get(app)?.procs ?? []).filter(p => !p.stopping).map(p => ({name: p.name, pid: p.processId, port: p.port}))
  }

  /**
   * Runs `command` once with the release's environment in its directory and resolves with the
   * interleaved output and exit code (a signal counts as 128 + its number, as shells report it).
   */
  run(dep: Deployment, command: string, pod = runPodName(dep.app), timeoutMs = 20 * 60_000): Promise<{exit_code: number; output: string}> {
    return new Promise(resolve => {
      const env = this.env(dep, pod)
      const child = spawnApp(command, {cwd: dep.dir, env, sandbox: this.sandbox})
      const pid = child.pid
      if (pid) this.oneOffs.add(pid)
      let output = ''
      child.stdout!.setEncoding('utf8').on('data', d => (output += d))
      child.stderr!.setEncoding('utf8').on('data', d => (output += d))
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), timeoutMs)
      child.on('error', error => {
        output += `${error.message}\n`
      })
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        if (pid) this.oneOffs.delete(pid)
        const signals: Record<string, number> = {SIGKILL: 9, SIGTERM: 15, SIGINT: 2}
        resolve({exit_code: code ?? 128 + (signal ? (signals[signal] ?? 1) : 1), output})
      })
    })
  }

  /** Stops everything (SIGTERM, then SIGKILL after the grace period); the scheduler takes no more work. */
  async close(): Promise<void> {
    this.closed = true
    for (const pid of this.oneOffs) killGroup(pid, 'SIGKILL')
    await Promise.all([...[...this.apps.values()].flatMap(run => run.procs.map(p => this.stop(run, p))), this.stopOrphans()])
    this.apps.clear()
  }

  private readyTimeout(): number {
    return this.opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS
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

  private current(run: AppRun): Supervised[] {
    return run.procs.filter(p => !p.stopping && p.spec.version === run.dep?.version)
  }

  private wanted(dep: Deployment): Array<[string, number]> {
    return Object.keys(dep.procfile)
      .sort()
      .map(type => [type, Math.max(0, dep.structure[type] ?? 0)] as [string, number])
  }

  /** Every new process starts beside the old ones; the old stop only once all new ones are ready. */
  private async rollout(run: AppRun, prev: Deployment | undefined, dep: Deployment): Promise<void> {
    const fresh: Supervised[] = []
    for (const [type, count] of this.wanted(dep)) for (let i = 1; i <= count; i++) fresh.push(this.start(run, dep, type, i))
    const reasons = await Promise.all(fresh.map(p => p.ready(this.readyTimeout())))
    // a process that crashed after it was ready, while others were still starting, fails the rollout too
    const why = reasons.find(Boolean) ?? fresh.find(p => p.state === 'crashed')?.name.concat(' crashed during the rollout')
    if (why && prev) {
      await Promise.all(fresh.map(p => this.stop(run, p)))
      this.deployNote(dep.app, `v${dep.version} was not deployed: ${why}; v${prev.version} keeps serving`)
      throw new RolloutError(why)
    }
    // with nothing older to keep (first deploy, or the controller just started) the new processes stay and keep retrying
    if (why) this.deployNote(dep.app, `v${dep.version}: ${why}; its processes keep restarting`)
    run.dep = dep
    await Promise.all(run.procs.filter(p => !fresh.includes(p)).map(p => this.stop(run, p)))
  }

  private async scale(run: AppRun, dep: Deployment): Promise<void> {
    const fresh: Supervised[] = []
    const retired: Supervised[] = []
    const wanted = new Map(this.wanted(dep))
    for (const type of new Set([...wanted.keys(), ...run.procs.map(p => p.spec.type)])) {
      const have = this.current(run)
        .filter(p => p.spec.type === type)
        .sort((a, b) => a.spec.index - b.spec.index)
      const want = wanted.get(type) ?? 0
      for (let i = have.length; i < want; i++) fresh.push(this.start(run, dep, type, this.freeIndex(run, type, dep.version)))
      retired.push(...have.slice(want))
    }
    // processes of other releases (a rollout that failed earlier) go too
    retired.push(...run.procs.filter(p => !p.stopping && p.spec.version !== dep.version))
    await Promise.all([...fresh.map(p => p.ready(this.readyTimeout())), ...retired.map(p => this.stop(run, p))])
  }

  /** Takes over the app's leftover processes that match `dep` (up to the wanted count per type) and stops the rest. */
  private adoptOrphans(run: AppRun, dep: Deployment): boolean {
    const orphans = this.orphans.get(dep.app)
    if (!orphans) return false
    this.orphans.delete(dep.app)
    const wanted = new Map(this.wanted(dep))
    let adopted = false
    for (const rec of orphans.sort((a, b) => a.index - b.index)) {
      const have = run.procs.filter(p => p.spec.type === rec.type && !p.stopping).length
      const fits = rec.version === dep.version && rec.dir === dep.dir && have < (wanted.get(rec.type) ?? 0) && !run.procs.some(p => p.name === rec.name)
      if (!fits) {
        void this.retire(rec)
        continue
      }
      const proc = this.supervised(run, dep, rec.type, this.freeIndex(run, rec.type, dep.version), rec.name)
      run.procs.push(proc)
      proc.adopt(rec)
      adopted = true
    }
    return adopted
  }

  /** Stops a leftover process the scheduler does not keep (SIGTERM, SIGKILL after the grace period). */
  private async retire(rec: PidRecord): Promise<void> {
    const dep: Deployment = {app: rec.app, version: rec.version, dir: rec.dir, env: {}, procfile: {}, structure: {}}
    const proc = new Supervised(this.spec(dep, rec.type, rec.index, rec.name), {
      log: () => {},
      changed: () => {},
      graceMs: this.opts.graceMs ?? 10_000,
      pidDir: this.opts.pidDir,
      sandbox: this.sandbox,
    })
    proc.adopt(rec)
    await proc.stop()
  }

  /** The type's own grace period when `timeouts:set` gave one, else the controller's. */
  private graceMs(dep: Deployment, type: string): number {
    const seconds = Number(dep.graceSeconds?.[type])
    return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : (this.opts.graceMs ?? 10_000)
  }

  private freeIndex(run: AppRun, type: string, version: number): number {
    const used = new Set(run.procs.filter(p => p.spec.type === type && !p.stopping && p.spec.version === version).map(p => p.spec.index))
    let i = 1
    while (used.has(i)) i++
    return i
  }

  private env(dep: Deployment, name: string): Record<string, string> {
    return {
      ...this.sandbox.env({dir: dep.dir}),
      ...dep.env,
      // apps listen on loopback only: the router is the way in (with its whitelist and maintenance rules)
      HOST: '127.0.0.1',
      HOSTNAME: name,
      DEIS_APP: dep.app,
      WORKFLOW_RELEASE: `v${dep.version}`,
    }
  }

  private healthcheck(dep: Deployment, type: string): Healthcheck {
    const hc = dep.healthchecks ?? {}
    return hc[type] ?? (type === 'web' || type === 'cmd' ? (hc['web/cmd'] ?? {}) : {})
  }

  private spec(dep: Deployment, type: string, index: number, name: string) {
    return {
      app: dep.app,
      name,
      type,
      index,
      version: dep.version,
      dir: dep.dir,
      command: dep.procfile[type] ?? '',
      env: this.env(dep, name),
      healthcheck: this.healthcheck(dep, type),
    }
  }

  private supervised(
    run: AppRun,
    dep: Deployment,
    type: string,
    index: number,
    name = podName(dep.app, type, dep.version, taken => run.procs.some(p => p.name === taken)),
  ): Supervised {
    return new Supervised(this.spec(dep, type, index, name), {
      log: line => this.opts.log?.(dep.app, processSource(dep.app, type, `v${dep.version}`, name), line),
      changed: () => this.opts.changed?.(dep.app),
      graceMs: this.graceMs(dep, type),
      pidDir: this.opts.pidDir,
      sandbox: this.sandbox,
    })
  }

  private start(run: AppRun, dep: Deployment, type: string, index: number): Supervised {
    const proc = this.supervised(run, dep, type, index)
    run.procs.push(proc)
    proc.start()
    return proc
  }

  private deployNote(app: string, line: string): void {
    this.opts.log?.(app, 'deploy', line)
  }

  private async stop(run: AppRun, proc: Supervised): Promise<void> {
    await proc.stop()
    const i = run.procs.indexOf(proc)
    if (i >= 0) run.procs.splice(i, 1)
  }
}
