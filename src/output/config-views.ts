/** The Go client's layouts for config, limits, tags, registry, healthchecks, builds and releases (cli-surface §5.2). */
import type {Build, Config, Healthchecks, Probe, Release, Service} from '../api/types.js'
import {header, infoBlock, prettyTabs, tabAlign} from './format.js'

/** `config:list`: `=== <app> Config` and the values with 6 spaces past the longest key. */
export function configLines(app: string, config: Config): string[] {
  return [`=== ${app} Config`, ...prettyTabs(config.values, 6)]
}

/** `limits:list`: a Memory and a CPU section, each `Unlimited` when empty. */
export function limitLines(app: string, config: Config): string[] {
  const section = (m: Record<string, string>) => (Object.keys(m).length === 0 ? ['Unlimited'] : prettyTabs(m, 5))
  return [`=== ${app} Limits`, '', '--- Memory', ...section(config.memory), '', '--- CPU', ...section(config.cpu)]
}

export function tagLines(app: string, config: Config): string[] {
  return [`=== ${app} Tags`, ...prettyTabs(config.tags, 5)]
}

/** Hephy's `timeouts:list`: `=== <app> Timeouts (sec)`, the grace periods, or the line naming the default. */
export function timeoutLines(app: string, config: Config): string[] {
  const grace = config.termination_grace_period ?? {}
  const body = Object.keys(grace).length === 0 ? ['default (30 sec) or controlled by env KUBERNETES_POD_TERMINATION_GRACE_PERIOD_SECONDS'] : prettyTabs(grace, 5)
  return [`=== ${app} Timeouts (sec)`, ...body]
}

/** Hephy's `services:list`: `=== <app> Services`, then `<procfile_type>  <path_pattern>` lines. */
export function serviceLines(app: string, services: Service[]): string[] {
  return [`=== ${app} Services`, ...prettyTabs(Object.fromEntries(services.map(s => [s.procfile_type, s.path_pattern])), 5)]
}

export function registryLines(app: string, config: Config): string[] {
  return [`=== ${app} Registry`, ...prettyTabs(config.registry, 5)]
}

function probeLines(p: Probe): string[] {
  const http = p.httpGet
  const headers = (http?.httpHeaders ?? []).map(h => `${h.name}=${h.value}`).join(' ')
  return [
    `Initial Delay (seconds): ${p.initialDelaySeconds ?? 0}`,
    `Timeout (seconds): ${p.timeoutSeconds ?? 0}`,
    `Period (seconds): ${p.periodSeconds ?? 0}`,
    `Success Threshold: ${p.successThreshold ?? 0}`,
    `Failure Threshold: ${p.failureThreshold ?? 0}`,
    `Exec Probe: ${p.exec ? `Command=[${p.exec.command.join(' ')}]` : 'N/A'}`,
    `HTTP GET Probe: ${http ? `Path="${http.path ?? ''}" Port=${http.port} HTTPHeaders=[${headers}]` : 'N/A'}`,
    `TCP Socket Probe: ${p.tcpSocket ? `Port=${p.tcpSocket.port}` : 'N/A'}`,
  ]
}

function typeLines(type: string, probes: Healthchecks[string] | undefined): string[] {
  return [
    '',
    `${type}:`,
    '--- Liveness',
    ...(probes?.livenessProbe ? probeLines(probes.livenessProbe) : ['No liveness probe configured.']),
    '',
    '--- Readiness',
    ...(probes?.readinessProbe ? probeLines(probes.readinessProbe) : ['No readiness probe configured.']),
  ]
}

/** `healthchecks:list`: every process type sorted, or only `type` (whose probes may be absent). */
export function healthcheckLines(app: string, config: Config, type?: string): string[] {
  const hc = config.healthcheck
  if (type !== undefined) return [`=== ${app} Healthchecks`, ...typeLines(type, hc[type])]
  const types = Object.keys(hc).sort()
  if (types.length === 0) return [`=== ${app} Healthchecks`, 'No health checks configured.']
  return [`=== ${app} Healthchecks`, ...types.flatMap(t => typeLines(t, hc[t]))]
}

/** `builds:list`: `<uuid> <created>` per build. */
export function buildLines(app: string, builds: Build[], total: number): string[] {
  return [header(`${app} Builds`, builds.length, total), ...builds.map(b => `${b.uuid} ${b.created}`)]
}

/** `releases:list`: `v<n>`, created and summary, tab-aligned like Go's tabwriter. */
export function releaseLines(app: string, releases: Release[], total: number): string[] {
  return [header(`${app} Releases`, releases.length, total), ...tabAlign(releases.map(r => [`v${r.version}`, r.created, r.summary]))]
}

/** `releases:info`: the Go client's info lines; `build:` only when the release has one. */
export function releaseInfoLines(app: string, r: Release): string[] {
  const rows: Array<[string, string | null]> = [
    ['build', r.build],
    ['config', r.config],
    ['owner', r.owner],
    ['created', r.created],
    ['summary', r.summary],
    ['updated', r.updated],
    ['uuid', r.uuid],
  ]
  return [`=== ${app} Release v${r.version}`, ...infoBlock(rows.filter((row): row is [string, string] => Boolean(row[1])))]
}

/**
 * One dotenv line: bare when safe, else single quotes, double quotes (newlines as `\n`) or
 * backticks, whichever `dotenv.parse` reads back to the same value.
 */
export function dotenvLine(key: string, value: string): string {
  if (/^[^\s"'`#\\]*$/.test(value)) return `${key}=${value}`
  if (!value.includes("'") && !value.includes('\n')) return `${key}='${value}'`
  if (!value.includes('"') && !value.includes('\\n')) return `${key}="${value.replace(/\n/g, '\\n')}"`
  return `${key}=\`${value}\``
}
