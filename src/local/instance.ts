import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {LocalInstance} from '../controller/daemon.js'
import {deisDir} from '../config/settings.js'

/** Where one local controller keeps its state: the SQLite file, the pid file and the log. */
export type LocalPaths = {dataDir: string; pidFile: string; logFile: string}

/** What `local:status` reports; `url` and `pid` only while it runs. */
export type LocalStatus = {running: boolean; url?: string; pid?: number; data_dir: string; log_file: string}

/** The paths of a data dir: `--data-dir`, else ~/.deis/local. */
export function localPaths(dataDirFlag: string | undefined, env: NodeJS.ProcessEnv): LocalPaths {
  const dataDir = resolve(dataDirFlag ?? join(deisDir(env), 'local'))
  return {dataDir, pidFile: join(dataDir, 'controller.pid'), logFile: join(dataDir, 'controller.log')}
}

/** The directory holding this package's package.json, found from this file in dist/ or in a bundle. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find the deis package directory')
    dir = up
  }
  return dir
}

/** The pid file's record, or undefined when there is none (or it is half-written). */
export function readInstance(paths: LocalPaths): LocalInstance | undefined {
  try {
    return JSON.parse(readFileSync(paths.pidFile, 'utf8')) as LocalInstance
  } catch {
    return undefined
  }
}

/** A process's command line ('' when it is gone or a zombie): /proc on Linux, `ps` elsewhere. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    if (existsSync('/proc/self')) return ''
  }
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    return ''
  }
}

/** True while `rec.pid` is alive and is the daemon that wrote `rec`: a recycled pid never matches its token. */
export function isOurDaemon(rec: LocalInstance): boolean {
  if (!Number.isInteger(rec.pid) || rec.pid <= 0 || !rec.instance) return false
  const cmd = commandLine(rec.pid)
  return cmd.includes('daemon.js') && cmd.includes(`--instance ${rec.instance}`)
}

/** The daemon of this data dir when it is alive, else undefined (a stale pid file is ignored). */
export function liveInstance(paths: LocalPaths): LocalInstance | undefined {
  const rec = readInstance(paths)
  return rec && isOurDaemon(rec) ? rec : undefined
}

export function localStatus(paths: LocalPaths): LocalStatus {
  const rec = liveInstance(paths)
  const base = {data_dir: paths.dataDir, log_file: paths.logFile}
  return rec?.state === 'running' ? {running: true, url: rec.url, pid: rec.pid, ...base} : {running: false, ...base}
}
