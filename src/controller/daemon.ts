/**
 * The local controller as a long-running process, started by `deis local:start` as
 * `node dist/src/controller/daemon.js --port N --data-dir D --pid-file P --instance X`.
 * Its stdout/stderr are the log. Each runtime part (controller now; builder and router later) is
 * started in runDaemon and stopped, in reverse order, by the function it returns.
 */
import {closeSync, mkdirSync, openSync, readFileSync, realpathSync, unlinkSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {writeFileAtomic} from './atomic-file.js'
import {now} from './model/db.js'
import {createController} from './server.js'

/** The pid file (`<data dir>/controller.pid`): written by the daemon, read by `deis local:*`. */
export type LocalInstance = {
  pid: number
  /** Random token also on the daemon's command line, so a recycled pid is never mistaken for it. */
  instance: string
  state: 'starting' | 'running'
  url: string
  port: number
  data_dir: string
  started: string
  /** `ssh://host:port` of the builder git pushes go to, once running. */
  builder?: string
  /** `http://<platform domain>:<port>` of the router; apps answer at `<app>.<that host>`. */
  router?: string
}

export type DaemonOptions = {port: number; dataDir: string; pidFile: string; instance: string; buildpackDirs?: string[]}

type Part = {name: string; close: () => Promise<void>}

/** Thrown when the daemon cannot start; its message is the one line the CLI shows. */
export class DaemonError extends Error {}

type Addresses = {builder: string; router: string}

function pidRecord(opts: DaemonOptions, state: LocalInstance['state'], port = opts.port, addresses?: Addresses): LocalInstance {
  const url = `http://127.0.0.1:${port}`
  return {pid: process.pid, instance: opts.instance, state, url, port, data_dir: opts.dataDir, started: now(), ...addresses}
}

/** Takes the data dir: the pid file is created exclusively, so a second daemon on the same data dir stops here. */
function lockPidFile(opts: DaemonOptions): void {
  let fd: number
  try {
    fd = openSync(opts.pidFile, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new DaemonError(`another local controller holds ${opts.pidFile}`)
    throw error
  }
  writeFileSync(fd, JSON.stringify(pidRecord(opts, 'starting')))
  closeSync(fd)
}

function markRunning(opts: DaemonOptions, port: number, addresses: Addresses | undefined): void {
  writeFileAtomic(opts.pidFile, JSON.stringify(pidRecord(opts, 'running', port, addresses)))
}

/** Removes the pid file only while it still names this daemon. */
function releasePidFile(opts: DaemonOptions): void {
  try {
    const held = JSON.parse(readFileSync(opts.pidFile, 'utf8')) as LocalInstance
    if (held.instance === opts.instance) unlinkSync(opts.pidFile)
  } catch {
    // already gone or unreadable: nothing of ours to remove
  }
}

/** Starts every part of the local platform; resolves with the function that stops them all. */
export async function runDaemon(opts: DaemonOptions): Promise<() => Promise<void>> {
  mkdirSync(opts.dataDir, {recursive: true, mode: 0o700})
  lockPidFile(opts)
  const parts: Part[] = []
  const stop = async () => {
    for (const part of parts.reverse()) await part.close()
    releasePidFile(opts)
  }
  try {
    // the local runtime (builder 2222, router 8080/8443); with --port 0 every part picks a free port
    const any = opts.port === 0 ? {builderPort: 0, httpPort: 0, httpsPort: 0} : {}
    const runtime = {dataDir: opts.dataDir, buildpackDirs: opts.buildpackDirs ?? [], ...any}
    const ctl = await createController({port: opts.port, dataDir: opts.dataDir, runtime}).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new DaemonError(`port ${(error as {port?: number}).port ?? opts.port} is already in use`)
      throw error
    })
    parts.push({name: 'controller', close: ctl.close})
    const rt = ctl.runtime?.addresses()
    markRunning(opts, ctl.port, rt && {builder: rt.builder, router: `http://${rt.platform_domain}:${new URL(rt.router).port}`})
    process.stdout.write(`${now()} controller listening on ${ctl.url} (data dir ${opts.dataDir}, pid ${process.pid})\n`)
    if (rt) process.stdout.write(`${now()} builder ${rt.builder}, router ${rt.router} and ${rt.router_https} (apps at <app>.${rt.platform_domain})\n`)
  } catch (error) {
    await stop()
    throw error
  }
  return stop
}

/** Reads `--name value` pairs; every option but the repeatable `--buildpack-dir` is required; port 0 picks a free port. */
export function parseDaemonArgs(argv: string[]): DaemonOptions {
  const get = (name: string): string => {
    const i = argv.indexOf(`--${name}`)
    const v = i >= 0 ? argv[i + 1] : undefined
    if (!v) throw new DaemonError(`missing --${name}`)
    return v
  }
  const port = Number(get('port'))
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new DaemonError(`bad --port ${get('port')}`)
  const buildpackDirs = argv.flatMap((a, i) => (a === '--buildpack-dir' && argv[i + 1] ? [argv[i + 1]!] : []))
  return {port, dataDir: get('data-dir'), pidFile: get('pid-file'), instance: get('instance'), buildpackDirs}
}

async function main(): Promise<void> {
  let stop: (() => Promise<void>) | undefined
  try {
    stop = await runDaemon(parseDaemonArgs(process.argv.slice(2)))
  } catch (error) {
    const message = error instanceof DaemonError ? error.message : ((error as Error).stack ?? String(error))
    process.stderr.write(`${now()} controller failed to start: ${message}\n`)
    process.exitCode = 1
    return
  }
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`${now()} controller stopping (${signal})\n`)
    stop!().then(
      () => process.exit(0),
      error => {
        process.stderr.write(`${now()} controller stop failed: ${(error as Error).stack ?? String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGHUP', () => shutdown('SIGHUP'))
}

// A process entry: runs only when node is started on this file, never when imported.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) void main()
