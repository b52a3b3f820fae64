import {spawn, type ChildProcess} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync} from 'node:fs'
import {get} from 'node:http'
import {join, resolve as absolute} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import type {LocalInstance} from '../controller/daemon.js'
import {killGroup, livePidRecords, startTime} from '../controller/runtime/process.js'
import {DeisError} from '../errors.js'
import {isOurDaemon, liveInstance, packageRoot, readInstance, type LocalPaths} from './instance.js'

const START_TIMEOUT_MS = 20_000
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

/** The log's last non-empty line written after `from`, which says why a daemon gave up. */
function logTail(logFile: string, from: number): string {
  try {
    const text = readFileSync(logFile, 'utf8').slice(from).trim()
    return (
      text
        .split('\n')
        .at(-1)
        ?.replace(/^\S+ controller failed to start: /, '') ?? ''
    )
  } catch {
    return ''
  }
}

async function waitRunning(paths: LocalPaths, instance: string, exited: () => number | null, logFrom: number): Promise<LocalInstance> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (exited() !== null) {
      const why = logTail(paths.logFile, logFrom) || `it exited with code ${exited()}`
      const hint = /already in use/.test(why) ? 'stop what listens there, or pass --port <port>' : `see ${paths.logFile}`
      throw new DeisError(`the local controller did not start: ${why}`, {hint})
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
 * Starts the daemon for `paths` on `port` (0 picks a free port) unless it already runs, and waits until
 * it answers /readiness. In the background its output goes to the log file; in the foreground to this
 * terminal's stderr, and `exited` settles when it stops (Ctrl-C stops it), rejecting when it failed.
 */
export async function startLocal(paths: LocalPaths, port: number, foreground: boolean, buildpackDirs: string[] = []): Promise<Started> {
  const live = liveInstance(paths)
  if (live) return {instance: await waitRunning(paths, live.instance, () => null, 0), already: true}
  removeFile(paths.pidFile)
  mkdirSync(paths.dataDir, {recursive: true, mode: 0o700})
  const log = openSync(paths.logFile, 'a', 0o600)
  const logFrom = statSync(paths.logFile).size
  const instance = randomBytes(12).toString('hex')
  const daemon = join(packageRoot(), 'dist', 'src', 'controller', 'daemon.js')
  const args = [daemon, '--port', String(port), '--data-dir', paths.dataDir, '--pid-file', paths.pidFile, '--instance', instance]
  for (const dir of buildpackDirs) args.push('--buildpack-dir', absolute(dir))
  const child = spawn(process.execPath, args, {
    cwd: paths.dataDir,
    detached: !foreground,
    stdio: ['ignore', foreground ? 2 : log, foreground ? 2 : log],
  })
  closeSync(log)
  let code: number | null = null
  const exited = new Promise<number>(resolve => child.on('exit', (c, signal) => resolve((code = c ?? (signal ? 1 : 0)))))
  try {
    const rec = await waitRunning(paths, instance, () => code, logFrom)
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
