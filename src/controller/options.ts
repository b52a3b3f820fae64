import {hostname} from 'node:os'
import type {RuntimeOptions} from './runtime/index.js'

/** Who may register (`DEIS_REGISTRATION_MODE`): anyone, only an admin once one exists (the default, as in the Workflow chart), or nobody. */
export type RegistrationMode = 'enabled' | 'admin_only' | 'disabled'

/** Everything that configures a controller; environment variables are read into it once, by controllerOptions. */
export type ControllerOptions = {
  port: number
  host: string
  /** Where SQLite lives; in memory when absent (tests). */
  dataDir: string | undefined
  /** Log lines kept per app (`DEIS_LOG_LINES`, else 1000). */
  logLines: number | undefined
  /** App names nobody may create (`RESERVED_NAMES`, comma separated). */
  reservedNames: ReadonlySet<string>
  registrationMode: RegistrationMode
  /** Largest request body in bytes (1 MiB unless given); a larger one is a 413 and the rest is not read. */
  maxBody: number
  /** Labels of the one local node (`DEIS_NODE_LABELS`, `k=v,k=v`); by default only its hostname. */
  nodeLabels: Readonly<Record<string, string>>
  /** Runs apps locally (builder, scheduler, router); absent, the simulated runtime spawns nothing. */
  runtime: RuntimeOptions | undefined
}

function positiveInt(raw: string | undefined): number | undefined {
  const n = Number(raw)
  return raw !== undefined && Number.isInteger(n) && n > 0 ? n : undefined
}

function labels(raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {'kubernetes.io/hostname': hostname()}
  const out: Record<string, string> = {}
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=')
    if (at > 0) out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim()
  }
  return out
}

function registrationMode(raw: string | undefined): RegistrationMode {
  return raw === 'enabled' || raw === 'disabled' ? raw : 'admin_only'
}

/** How long a rollout waits for new processes to become ready: given, else `DEIS_DEPLOY_TIMEOUT` seconds (Workflow's name), else 120 s. */
function withDeployTimeout(runtime: RuntimeOptions, seconds: number | undefined): RuntimeOptions {
  return runtime.readyTimeoutMs === undefined && seconds !== undefined ? {...runtime, readyTimeoutMs: seconds * 1000} : runtime
}

/** The options `given` leaves out, taken from `env` (read here and nowhere else in the controller). */
export function controllerOptions(given: Partial<ControllerOptions> = {}, env: NodeJS.ProcessEnv = process.env): ControllerOptions {
  return {
    port: given.port ?? 0,
    host: given.host ?? '127.0.0.1',
    dataDir: given.dataDir,
    logLines: given.logLines ?? positiveInt(env.DEIS_LOG_LINES),
    reservedNames: given.reservedNames ?? new Set((env.RESERVED_NAMES ?? '').replace(/\s/g, '').split(',').filter(Boolean)),
    registrationMode: given.registrationMode ?? registrationMode(env.DEIS_REGISTRATION_MODE),
    maxBody: given.maxBody ?? 1024 * 1024,
    nodeLabels: given.nodeLabels ?? labels(env.DEIS_NODE_LABELS),
    runtime: given.runtime && withDeployTimeout(given.runtime, positiveInt(env.DEIS_DEPLOY_TIMEOUT)),
  }
}
