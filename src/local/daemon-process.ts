import {spawn, type ChildProcess} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync} from 'node:fs'
import {get} from 'node:http'
import {join} from 'node:path'
import {PORT_OPTIONS, type LocalInstance} from '../controller/daemon.js'
import {setTimeout as sleep} from 'node:timers/promises'
import {killGroup, livePidRecords, startTime} from '../controller/runtime/process.js'
import {DeisError} from '../errors.js'
import {isOurDaemon, liveInstance, packageRoot, readInstance, type LocalPaths} from './instance.js'
import {portsFile, savePorts, type PortChoice} from './ports.js'

// generous: on a loaded machine loading the native SQLite module and migrating can take a while
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000

/** The outcome of `local:start`: the daemon's record, whether it was already up, and (foreground) its exit. */
export type Started = {instance: LocalInstance; already: boolean; exited?: Promise<void>}

function removeFile(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** GET <url>/readiness answers 200; a fresh connection each time so nothing keeps the process alive. */
function readiness(url: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = get(`${url}/readiness`, {agent: false, timeout: 2000}, res => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
  })
}

/**
 * Why a daemon gave up, from what it logged after `from`: the first line of its `controller failed to start:`
 * error, else the last line that is not part of a stack (a stack's last frame says nothing to the user).
 */
function logTail(logFile: string, from: number): string {
  try {
    const lines = readFileSync(logFile, 'utf8').slice(from).split('\n')
    const failed = lines.filter(l => / controller failed to start: /.test(l)).at(-1)
    const line = failed ?? lines.filter(l => l.trim() !== '' && !/^\s+(at |→ )/.test(l)).at(-1) ?? ''
    return line
      .replace(/^\S+ controller failed to start: /, '')
      .replace(/^(\w*Error: )/, '')
      .trim()
  } catch {
    return ''
  }
}

/** The daemon's `port N is already in use (--flag)` as the one line local:start shows, naming that port's own flag. */
function portInUse(why: string, paths: LocalPaths, choice: PortChoice | undefined): DeisError | undefined {
  const m = /^port (\S+) is already in use(?: \((--[\w-]+)\))?/.exec(why)
  if (!m) return undefined
  const flag = m[2] ?? '--port'
  const name = flag.slice(2) as (typeof PORT_OPTIONS)[number]
  const saved = choice?.source[name] === 'saved' ? ` (saved by the last start in ${portsFile(paths.dataDir)})` : ''
  return new DeisError(`the local controller did not start: port ${m[1]}${saved} is already in use`, {
    hint: `stop what listens there, or pass ${flag} <port> (0 picks a free one)`,
  })
}

async function waitRunning(paths: LocalPaths, instance: string, exited: () => number | null, logFrom: number, choice?: PortChoice): Promise<LocalInstance> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (exited() !== null) {
      const why = logTail(paths.logFile, logFrom) || `it exited with code ${exited()}`
      throw portInUse(why, paths, choice) ?? new DeisError(`the local controller did not start: ${why}`, {hint: `see ${paths.logFile}`})
    }
    const rec = readInstance(paths)
    if (rec?.instance === instance && rec.state === 'running' && (await readiness(rec.url))) return rec
    await sleep(50)
  }
  throw new DeisError(`the local controller did not answer /readiness within ${START_TIMEOUT_MS / 1000}s`, {hint: `see ${paths.logFile}`})
}

function forwardSignals(child: ChildProcess): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal))
}

/**
 * Starts the daemon for `paths` on the chosen ports (0 picks a free one) unless it already runs, waits
 * until it answers /readiness and saves the ports it got for the next start. In the background its
 * output goes to the log file; in the foreground to this terminal's stderr, and `exited` settles when it
 * stops (Ctrl-C stops it), rejecting when it failed.
 */
export async function startLocal(paths: LocalPaths, choice: PortChoice, foreground: boolean, daemonArgs: string[] = []): Promise<Started> {
  const live = liveInstance(paths)
  if (live) return {instance: await waitRunning(paths, live.instance, () => null, 0), already: true}
  removeFile(paths.pidFile)
  mkdirSync(paths.dataDir, {recursive: true, mode: 0o700})
  const log = openSync(paths.logFile, 'a', 0o600)
  const logFrom = statSync(paths.logFile).size
  const instance = randomBytes(12).toString('hex')
  const daemon = join(packageRoot(), 'dist', 'src', 'controller', 'daemon.js')
  const ports = PORT_OPTIONS.flatMap(name => [`--${name}`, String(choice.ports[name])])
  const args = [daemon, ...ports, '--data-dir', paths.dataDir, '--pid-file', paths.pidFile, '--instance', instance, ...daemonArgs]
  const child = spawn(process.execPath, args, {
    cwd: paths.dataDir,
    detached: !foreground,
    stdio: ['ignore', foreground ? 2 : log, foreground ? 2 : log],
  })
  closeSync(log)
  let code: number | null = null
  const exited = new Promise<number>(resolve => child.on('exit', (c, signal) => resolve((code = c ?? (signal ? 1 : 0)))))
  try {
    const rec = await waitRunning(paths, instance, () => code, logFrom, choice)
    if (rec.ports) savePorts(paths.dataDir, rec.ports)
    if (!foreground) {
      child.unref()
      return {instance: rec, already: false}
    }
    forwardSignals(child)
    const stopped = exited.then(c => {
      if (c !== 0) throw new DeisError(`the local controller exited with code ${c}`)
    })
    return {instance: rec, already: false, exited: stopped}
  } catch (error) {
    if (code === null) child.kill('SIGKILL')
    throw error
  }
}

/** Waits until the process `pid` that started at `start` has exited (a zombie counts); false after `ms`. */
async function exited(pid: number, start: string | undefined, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (start !== undefined && startTime(pid) === start) {
    if (Date.now() > deadline) return false
    await sleep(50)
  }
  return true
}

/**
 * Ends the app processes still listed in `<data dir>/run/` (a controller that was killed leaves its
 * processes running): SIGTERM to each process group, SIGKILL to what is left after the grace period.
 */
async function stopLeftovers(dataDir: string): Promise<void> {
  const left = livePidRecords(join(dataDir, 'run'))
  for (const rec of left) killGroup(rec.pid, 'SIGTERM')
  const deadline = Date.now() + STOP_TIMEOUT_MS
  for (const rec of left) {
    if (!(await exited(rec.pid, rec.start, Math.max(0, deadline - Date.now())))) killGroup(rec.pid, 'SIGKILL')
    if (!(await exited(rec.pid, rec.start, 5000))) throw new DeisError(`app process ${rec.name} (pid ${rec.pid}) did not stop`)
    rmSync(join(dataDir, 'run', `${rec.name}.json`), {force: true})
  }
}

/**
 * Stops this data dir's daemon (SIGTERM, then SIGKILL after 10 s) and returns only once it and
 * every app process it ran have exited; undefined when no daemon was running (leftover app
 * processes of a killed one are stopped all the same).
 */
export async function stopLocal(paths: LocalPaths): Promise<LocalInstance | undefined> {
  const rec = readInstance(paths)
  if (!rec || !isOurDaemon(rec)) {
    if (rec) removeFile(paths.pidFile)
    await stopLeftovers(paths.dataDir)
    return undefined
  }
  const start = startTime(rec.pid)
  process.kill(rec.pid, 'SIGTERM')
  if (!(await exited(rec.pid, start, STOP_TIMEOUT_MS))) {
    process.kill(rec.pid, 'SIGKILL')
    if (!(await exited(rec.pid, start, 5000))) throw new DeisError(`the local controller (pid ${rec.pid}) did not stop`)
  }
  if (readInstance(paths)?.instance === rec.instance) removeFile(paths.pidFile)
  await stopLeftovers(paths.dataDir)
  return rec
}
