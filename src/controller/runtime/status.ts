import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../atomic-file.js'

/** Per process type: the desired count and how many processes are in each state. */
export type ProcessCounts = {desired: number; up: number; starting: number; crashed: number}

/** One app as `local:status` shows it. */
export type AppStatus = {
  id: string
  processes: Record<string, ProcessCounts>
  /** Settings the local runtime stores but cannot apply (autoscale, CPU and memory limits, registry...). */
  not_enforced: string[]
}

/** What the runtime publishes in `<data dir>/runtime.json` for `deis local:status` (the CLI reads, never the daemon). */
export type RuntimeStatus = {
  api: string
  builder: string
  router: string
  router_https: string
  platform_domain: string
  apps: AppStatus[]
}

const FILE = 'runtime.json'

/** Replaces the status file atomically (a reader never sees half of it). */
export function writeRuntimeStatus(dataDir: string, status: RuntimeStatus): void {
  writeFileAtomic(join(dataDir, FILE), JSON.stringify(status))
}

export function removeRuntimeStatus(dataDir: string): void {
  rmSync(join(dataDir, FILE), {force: true})
}

/** The last status the runtime of `dataDir` published, or undefined (not running, or no runtime). */
export function readRuntimeStatus(dataDir: string): RuntimeStatus | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as RuntimeStatus
  } catch {
    return undefined
  }
}
