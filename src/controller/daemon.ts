/**
 * The local controller as a long-running process, started by `deis local:start` as
 * `node dist/src/controller/daemon.js --port N --builder-port B --router-port R --router-https-port S
 * --data-dir D --pid-file P --instance X` (each port 0 picks a free one).
 * Its stdout/stderr are the log. Each runtime part (controller now; builder and router later) is
 * started in runDaemon and stopped, in reverse order, by the function it returns.
 */
import {closeSync, mkdirSync, openSync, readFileSync, realpathSync, unlinkSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {writeFileAtomic} from './atomic-file.js'
import {now} from './model/db.js'
import type {RegistrationMode} from './options.js'
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
  /** Every port it listens on, once running, named as local:start's flags name them. */
  ports?: DaemonPorts
  /** How apps are isolated (runtime/sandbox.ts); without isolation only one user is served. */
  sandbox?: {isolated: boolean; mechanism: string; fix: string}
}

/** The daemon's ports by the option (and local:start flag) that sets each one. */
export type DaemonPorts = {port: number; 'builder-port': number; 'router-port': number; 'router-https-port': number}

export const PORT_OPTIONS = ['port', 'builder-port', 'router-port', 'router-https-port'] as const

export type DaemonOptions = {
  ports: DaemonPorts
  dataDir: string
  pidFile: string
  instance: string
  buildpackDirs?: string[]
  registrationMode?: RegistrationMode
  maxBody?: number
}

type Part = {name: string; close: () => Promise<void>}

/** Thrown when the daemon cannot start; its message is the one line the CLI shows. */
export class DaemonError extends Error {}

type Addresses = {builder: string; router: string; ports: DaemonPorts; sandbox: {isolated: boolean; mechanism: string; fix: string}}

function pidRecord(opts: DaemonOptions, state: LocalInstance['state'], port = opts.ports.port, addresses?: Addresses): LocalInstance {
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
  // everything the daemon and its children create (database, repositories, builds) is the owner's alone
  process.umask(0o077)
  mkdirSync(opts.dataDir, {recursive: true, mode: 0o700})
  lockPidFile(opts)
  const parts: Part[] = []
  const stop = async () => {
    for (const part of parts.reverse()) await part.close()
    releasePidFile(opts)
  }
  try {
    const {ports} = opts
    const runtime = {
      dataDir: opts.dataDir,
      buildpackDirs: opts.buildpackDirs ?? [],
      builderPort: ports['builder-port'],
      httpPort: ports['router-port'],
      httpsPort: ports['router-https-port'],
    }
    const limits = {...(opts.registrationMode ? {registrationMode: opts.registrationMode} : {}), ...(opts.maxBody ? {maxBody: opts.maxBody} : {})}
    const ctl = await createController({port: ports.port, dataDir: opts.dataDir, ...limits, runtime}).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error
      // the option that asked for the taken port, so that local:start can name its own flag
      const port = (error as {port?: number}).port
      const option = PORT_OPTIONS.find(o => ports[o] === port)
      throw new DaemonError(`port ${port ?? '?'} is already in use${option ? ` (--${option})` : ''}`)
    })
    parts.push({name: 'controller', close: ctl.close})
    const rt = ctl.runtime?.addresses()
    const portOf = (url: string) => Number(new URL(url).port)
    const sandbox = ctl.runtime.sandbox && {isolated: ctl.runtime.sandbox.isolated, mechanism: ctl.runtime.sandbox.mechanism, fix: ctl.runtime.sandbox.fix}
    markRunning(
      opts,
      ctl.port,
      rt &&
        sandbox && {
          builder: rt.builder,
          router: `http://${rt.platform_domain}:${portOf(rt.router)}`,
          ports: {port: ctl.port, 'builder-port': portOf(rt.builder), 'router-port': portOf(rt.router), 'router-https-port': portOf(rt.router_https)},
          sandbox,
        },
    )
    process.stdout.write(`${now()} controller listening on ${ctl.url} (data dir ${opts.dataDir}, pid ${process.pid})\n`)
    if (rt) process.stdout.write(`${now()} builder ${rt.builder}, router ${rt.router} and ${rt.router_https} (apps at <app>.${rt.platform_domain})\n`)
    if (sandbox?.isolated) process.stdout.write(`${now()} app sandbox: ${sandbox.mechanism}\n`)
    else if (sandbox) process.stdout.write(`${now()} WARNING: no app sandbox, so registration of a second user is refused: ${sandbox.mechanism}; ${sandbox.fix}\n`)
  } catch (error) {
    await stop()
    throw error
  }
  return stop
}

/** Reads `--name value` pairs; all but --buildpack-dir (repeatable), --registration and --max-body are required; port 0 picks a free port. */
export function parseDaemonArgs(argv: string[]): DaemonOptions {
  const get = (name: string): string => {
    const i = argv.indexOf(`--${name}`)
    const v = i >= 0 ? argv[i + 1] : undefined
    if (!v) throw new DaemonError(`missing --${name}`)
    return v
  }
  const port = (name: (typeof PORT_OPTIONS)[number]): number => {
    const n = Number(get(name))
    if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new DaemonError(`bad --${name} ${get(name)}`)
    return n
  }
  const ports = Object.fromEntries(PORT_OPTIONS.map(name => [name, port(name)])) as DaemonPorts
  const buildpackDirs = argv.flatMap((a, i) => (a === '--buildpack-dir' && argv[i + 1] ? [argv[i + 1]!] : []))
  const opts: DaemonOptions = {ports, dataDir: get('data-dir'), pidFile: get('pid-file'), instance: get('instance'), buildpackDirs}
  if (argv.includes('--registration')) {
    const mode = get('registration')
    if (mode !== 'enabled' && mode !== 'admin_only' && mode !== 'disabled') throw new DaemonError(`bad --registration ${mode}`)
    opts.registrationMode = mode
  }
  if (argv.includes('--max-body')) {
    const bytes = Number(get('max-body'))
    if (!Number.isInteger(bytes) || bytes < 1) throw new DaemonError(`bad --max-body ${get('max-body')}`)
    opts.maxBody = bytes
  }
  return opts
}

async function main(): Promise<void> {
  let stop: (() => Promise<void>) | undefined
  try {
    stop = await runDaemon(parseDaemonArgs(process.argv.slice(2)))
  } catch (error) {
    const message = error instanceof DaemonError ? error.message : ((error as Error).stack ?? String(error))
    process.stderr.write(`${now()} controller failed to start: ${message}\n`)
    // exit even when a part that failed half-way left a listener open (the builder's hook server)
    process.exit(1)
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
