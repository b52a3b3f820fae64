import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {LocalInstance} from '../controller/daemon.js'
import {deisDir} from '../config/settings.js'

/** Where one local controller keeps its state: the SQLite file, the pid file and the log. */
export type LocalPaths = {dataDir: string; pidFile: string; logFile: string}

/** What `local:status` reports; `url` and `pid` only while it runs. */
export type LocalStatus = {running: boolean; url?: string; pid?: number; data_dir: string; log_file: string}

/** The paths of a data dir: `--data-dir`, else `DEIS_LOCAL_DIR`, else ~/.deis/local. */
export function localPaths(dataDirFlag: string | undefined, env: NodeJS.ProcessEnv): LocalPaths {
  const dataDir = resolve(dataDirFlag ?? (env.DEIS_LOCAL_DIR || join(deisDir(env), 'local')))
  return {dataDir, pidFile: join(dataDir, 'controller.pid'), logFile: join(dataDir, 'controller.log')}
}

/** ~/.deis/local-instances.json: every data dir local:start started, so later commands find it without --data-dir. */
const rememberedFile = (env: NodeJS.ProcessEnv) => join(deisDir(env), 'local-instances.json')

type Remembered = {data_dirs: string[]}

function remembered(env: NodeJS.ProcessEnv): string[] {
  try {
    const list = (JSON.parse(readFileSync(rememberedFile(env), 'utf8')) as Remembered).data_dirs
    return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : []
  } catch {
    return []
  }
}

/** Puts a started data dir first in the list (dirs that no longer exist drop out), written atomically. */
export function rememberDataDir(env: NodeJS.ProcessEnv, dataDir: string): void {
  // newest first, bounded: an old entry is only a hint, and each one costs local:status a pid-file read
  const dirs = [dataDir, ...remembered(env).filter(d => d !== dataDir && existsSync(d))].slice(0, 32)
  const file = rememberedFile(env)
  mkdirSync(deisDir(env), {recursive: true, mode: 0o700})
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify({data_dirs: dirs} satisfies Remembered, null, 2)}\n`, {mode: 0o600})
  renameSync(tmp, file)
}

/** The running daemons of the remembered data dirs and the default one, the most recently started first. */
export function liveInstances(env: NodeJS.ProcessEnv): Array<{paths: LocalPaths; instance: LocalInstance}> {
  const dirs = new Set([localPaths(undefined, env).dataDir, ...remembered(env)])
  const live = [...dirs].flatMap(dir => {
    const paths = localPaths(dir, env)
    const instance = liveInstance(paths)
    return instance?.state === 'running' ? [{paths, instance}] : []
  })
  return live.sort((a, b) => b.instance.started.localeCompare(a.instance.started))
}

/**
 * The data dir local:status/stop act on: `--data-dir`, else `DEIS_LOCAL_DIR`, else the most recently
 * started running one that local:start remembered, else ~/.deis/local.
 */
export function findLocal(dataDirFlag: string | undefined, env: NodeJS.ProcessEnv): LocalPaths {
  if (dataDirFlag !== undefined || env.DEIS_LOCAL_DIR) return localPaths(dataDirFlag, env)
  return liveInstances(env)[0]?.paths ?? localPaths(undefined, env)
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
