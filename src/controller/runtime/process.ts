import {spawn, type ChildProcess} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import type {Readable} from 'node:stream'
import {setTimeout as sleep} from 'node:timers/promises'
import {now} from '../model/db.js'
import {processCommand} from './buildpacks/profile.js'
import {probeTimings, runProbe, tcpOpen, type Healthcheck} from './probe.js'
import type {Sandbox} from './sandbox.js'

/** A process's state under the names the pods endpoint uses. */
export type ProcState = 'starting' | 'up' | 'crashed' | 'terminating'

/** Everything one app process needs to run: the scheduler decides these, the supervisor only runs them. */
export type ProcessSpec = {
  app: string
  /** The pod name (`<app>-<type>-<digits>-<suffix>`); also the process's HOSTNAME. */
  name: string
  type: string
  index: number
  version: number
  /** The release directory the command runs in. */
  dir: string
  command: string
  /** The whole environment except PORT, which is added per spawn. */
  env: Record<string, string>
  healthcheck: Healthcheck
}

/** What a pid file in `<data dir>/run/` records, so a later controller can adopt or stop the process. */
export type PidRecord = Pick<ProcessSpec, 'app' | 'name' | 'type' | 'index' | 'version' | 'dir'> & {
  pid: number
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22): a recycled pid never matches. */
  start: string
  port: number
  started: string
}

export type SupervisorOptions = {
  /** Receives every line the process prints and the supervisor's own notes. */
  log: (line: string) => void
  /** Called on every state change (the scheduler waits on these, the runtime publishes them). */
  changed: (proc: Supervised) => void
  /** SIGTERM to SIGKILL, ms. */
  graceMs: number
  /** Where the pid file goes; none when undefined (tests of the scheduler alone). */
  pidDir: string | undefined
  /** Where the app's command and its exec probes run. */
  sandbox: Sandbox
}

const MAX_BACKOFF_MS = 30_000
/** How often a process adopted from an earlier controller (no pipe to wait on) is checked for exit. */
const ADOPTED_POLL_MS = 1000

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

/**
 * Starts an app's command: the one place app code is spawned (processes and one-off runs), so a
 * sandbox can wrap it. The child leads its own process group, which is what gets signalled.
 */
export function spawnApp(command: string, opts: {cwd: string; env: Record<string, string>; sandbox: Sandbox; writable?: boolean}): ChildProcess {
  const spec = {dir: opts.cwd, writable: opts.writable === true}
  return spawn(...opts.sandbox.wrap(processCommand(command), spec), {cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
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

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** The process's start time (field 22 of /proc/<pid>/stat), or undefined when it is not running (or a zombie). */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // the command name (field 2) may hold spaces and parentheses: fields count from the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[0] === 'Z' ? undefined : fields[19]
  } catch {
    return undefined
  }
}

/** The pid files in `dir` whose process still runs (same pid and start time); the others are removed. */
export function livePidRecords(dir: string): PidRecord[] {
  let files: string[]
  try {
    files = readdirSync(dir)
  } catch {
    return []
  }
  const live: PidRecord[] = []
  for (const file of files) {
    const path = join(dir, file)
    let rec: PidRecord | undefined
    try {
      rec = JSON.parse(readFileSync(path, 'utf8')) as PidRecord
    } catch {
      rec = undefined
    }
    if (rec && Number.isInteger(rec.pid) && rec.pid > 0 && startTime(rec.pid) === rec.start) live.push(rec)
    else rmSync(path, {force: true})
  }
  return live
}

/**
 * One supervised app process: spawn, restart with backoff after a crash, readiness and liveness
 * probes, the pid file. It knows nothing of releases or counts (that is the scheduler's).
 */
export class Supervised {
  state: ProcState = 'starting'
  port = 0
  started = now()
  stopping = false
  private child: ChildProcess | undefined
  private pid: number | undefined
  /** Incremented per spawn (or adoption) so loops of an earlier incarnation stop. */
  private gen = 0
  private restarts = 0
  private upSince = 0
  private readonly timers = new Set<NodeJS.Timeout>()
  private exited: Promise<void> = Promise.resolve()
  private onExit: () => void = () => {}

  constructor(
    readonly spec: ProcessSpec,
    private readonly opts: SupervisorOptions,
  ) {}

  get name(): string {
    return this.spec.name
  }

  /** The process group leader's pid while it runs. */
  get processId(): number | undefined {
    return this.pid
  }

  start(): void {
    void this.spawn()
  }

  /** Takes over a process a previous controller started (its output is no longer captured). */
  adopt(rec: PidRecord): void {
    const gen = ++this.gen
    this.pid = rec.pid
    this.port = rec.port
    this.started = rec.started
    this.exited = new Promise(resolve => {
      this.onExit = resolve
    })
    this.opts.log(`adopted from the previous controller (pid ${rec.pid}); its output is no longer captured`)
    const poll = () => {
      if (gen !== this.gen) return
      if (startTime(rec.pid) === rec.start) return this.later(ADOPTED_POLL_MS, poll)
      this.ended(gen, null, null)
    }
    this.later(ADOPTED_POLL_MS, poll)
    void this.readiness(gen)
    void this.liveness(gen)
  }

  /**
   * Resolves with undefined once the process is ready, or with why it is not: it crashed, was
   * stopped, or `timeoutMs` passed first.
   */
  ready(timeoutMs: number): Promise<string | undefined> {
    if (this.state === 'up') return Promise.resolve(undefined)
    return new Promise(resolve => {
      const done = (why: string | undefined) => {
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve(why)
      }
      const check = () => {
        if (this.state === 'up') done(undefined)
        else if (this.state === 'crashed') done(`${this.spec.name} crashed before it became ready`)
        else if (this.state === 'terminating') done(`${this.spec.name} was stopped before it became ready`)
      }
      const probe = this.spec.healthcheck.readinessProbe
      const what = probe ? 'did not pass its readiness probe' : this.spec.type === 'web' ? `did not accept connections on its PORT (${this.port})` : 'did not start'
      const timer = setTimeout(() => done(`${this.spec.name} ${what} within ${timeoutMs / 1000}s`), timeoutMs)
      this.waiters.add(check)
    })
  }

  /** SIGTERM to the process group, SIGKILL after the grace period; resolves once it has exited. */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true
      for (const timer of this.timers) clearTimeout(timer)
      this.timers.clear()
      this.setState('terminating')
      const pid = this.pid
      if (pid) {
        killGroup(pid, 'SIGTERM')
        const kill = setTimeout(() => killGroup(pid, 'SIGKILL'), this.opts.graceMs)
        if (!this.child) this.pollUntilGone(pid)
        await this.exited
        clearTimeout(kill)
      }
    } else {
      await this.exited
    }
  }

  /** Ends the process at once (liveness failure); the supervisor restarts it as after a crash. */
  kill(): void {
    killGroup(this.pid, 'SIGKILL')
  }

  private readonly waiters = new Set<() => void>()

  private setState(state: ProcState): void {
    if (this.state === state) return
    this.state = state
    if (state === 'up') this.upSince = Date.now()
    for (const check of [...this.waiters]) check()
    this.opts.changed(this)
  }

  private later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      work()
    }, ms)
    this.timers.add(timer)
  }

  /** An adopted process being stopped has no exit event: its start time going away is the exit. */
  private pollUntilGone(pid: number): void {
    const start = startTime(pid)
    const tick = () => {
      if (start !== undefined && startTime(pid) === start) return void setTimeout(tick, 50)
      this.ended(this.gen, null, null)
    }
    tick()
  }

  private pidFile(): string | undefined {
    return this.opts.pidDir && join(this.opts.pidDir, `${this.spec.name}.json`)
  }

  private writePidFile(pid: number): void {
    const file = this.pidFile()
    const start = startTime(pid)
    if (!file || !start) return
    const {app, name, type, index, version, dir} = this.spec
    const rec: PidRecord = {pid, start, port: this.port, app, name, type, index, version, dir, started: this.started}
    mkdirSync(this.opts.pidDir!, {recursive: true, mode: 0o700})
    writeFileSync(`${file}.tmp`, JSON.stringify(rec), {mode: 0o600})
    renameSync(`${file}.tmp`, file)
  }

  private async spawn(): Promise<void> {
    const gen = ++this.gen
    this.port = await freePort()
    if (this.stopping || gen !== this.gen) return
    const child = spawnApp(this.spec.command, {cwd: this.spec.dir, env: {...this.spec.env, PORT: String(this.port)}, sandbox: this.opts.sandbox})
    this.child = child
    this.pid = child.pid
    this.exited = new Promise(resolve => {
      this.onExit = resolve
    })
    this.setState('starting')
    if (child.pid) this.writePidFile(child.pid)
    eachLine(child.stdout!, line => this.opts.log(line))
    eachLine(child.stderr!, line => this.opts.log(line))
    let ended = false
    const end = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (ended) return
      ended = true
      this.ended(gen, code, signal, error)
    }
    child.on('error', error => end(null, null, error))
    child.on('exit', (code, signal) => end(code, signal))
    void this.readiness(gen)
    void this.liveness(gen)
  }

  private alive(gen: number): boolean {
    return !this.stopping && this.gen === gen && this.pid !== undefined
  }

  private ended(gen: number, code: number | null, signal: NodeJS.Signals | null, error?: Error): void {
    if (gen !== this.gen || this.pid === undefined) return
    // the group may hold children of the shell that outlived it and still hold the port
    killGroup(this.pid, 'SIGKILL')
    this.child = undefined
    this.pid = undefined
    const file = this.pidFile()
    if (file) rmSync(file, {force: true})
    this.onExit()
    if (this.stopping) return
    if (this.upSince && Date.now() - this.upSince > MAX_BACKOFF_MS) this.restarts = 0
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.restarts)
    this.restarts++
    const why = error ? error.message : signal ? `signal ${signal}` : code === null ? 'an unknown status' : `status ${code}`
    this.opts.log(`process exited with ${why}; restarting in ${delay / 1000}s`)
    this.setState('crashed')
    this.later(delay, () => {
      if (!this.stopping) void this.spawn()
    })
  }

  private async readiness(gen: number): Promise<void> {
    const probe = this.spec.healthcheck.readinessProbe
    if (!probe) {
      // Without a probe Kubernetes calls a running container ready; locally a web process is
      // ready once it listens on PORT, so the router never sends traffic to a booting process.
      if (this.spec.type !== 'web') return this.setState('up')
      while (this.alive(gen)) {
        if (await tcpOpen(this.port, 1000)) {
          if (this.alive(gen)) this.setState('up')
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
    while (this.alive(gen)) {
      const passed = await runProbe(probe, this.port, this.spec.dir, {...this.spec.env, PORT: String(this.port)}, argv => this.opts.sandbox.wrap(argv, {dir: this.spec.dir}))
      if (!this.alive(gen)) return
      ok = passed ? ok + 1 : 0
      bad = passed ? 0 : bad + 1
      if (ok >= t.success) this.setState('up')
      if (bad >= t.failure) this.setState('starting')
      await sleep(t.period)
    }
  }

  private async liveness(gen: number): Promise<void> {
    const probe = this.spec.healthcheck.livenessProbe
    if (!probe) return
    const t = probeTimings(probe)
    await sleep(t.delay)
    let bad = 0
    while (this.alive(gen)) {
      const passed = await runProbe(probe, this.port, this.spec.dir, {...this.spec.env, PORT: String(this.port)}, argv => this.opts.sandbox.wrap(argv, {dir: this.spec.dir}))
      if (!this.alive(gen)) return
      bad = passed ? 0 : bad + 1
      if (bad >= t.failure) {
        this.opts.log(`liveness probe failed ${bad} times; restarting`)
        this.kill()
        return
      }
      await sleep(t.period)
    }
  }
}
