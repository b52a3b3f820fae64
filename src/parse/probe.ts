import type {Probe} from '../api/types.js'
import {UsageError} from '../errors.js'

/** `liveness` / `readiness` as the controller's probe key. */
export function probeKey(healthType: string): 'livenessProbe' | 'readinessProbe' {
  if (healthType === 'liveness' || healthType === 'readiness') return `${healthType}Probe`
  throw new UsageError(`probe type ${healthType} is invalid. Must be one of [liveness readiness]`, 'ex: healthchecks:set liveness httpGet 5000')
}

function port(raw: string | undefined, probeType: string): number {
  if (raw === undefined) throw new UsageError(`${probeType} needs a port`, `ex: healthchecks:set liveness ${probeType} 5000`)
  if (!/^\d+$/.test(raw)) throw new UsageError(`could not parse port "${raw}": expected a whole number`, `ex: healthchecks:set liveness ${probeType} 5000`)
  const n = Number(raw)
  if (n < 1 || n > 65535) throw new UsageError(`port ${raw} is out of range`, 'give a port from 1 to 65535, the one the process listens on ($PORT, 5000 by default)')
  return n
}

/** `--headers "X-A:1, X-B:2"`: items split on `,`, each on its first `:`, both sides trimmed. */
export function parseHeaders(raw: string | undefined): Array<{name: string; value: string}> {
  if (!raw) return []
  return raw.split(',').map(item => {
    const at = item.indexOf(':')
    if (at < 0) throw new UsageError(`could not parse headers: could not find separator in header (${item})`, 'ex: --headers "X-Probe:1,Host:example.com"')
    return {name: item.slice(0, at).trim(), value: item.slice(at + 1).trim()}
  })
}

const TIMING_FLAGS: Record<keyof ProbeTimings, {flag: string; min: number}> = {
  initialDelaySeconds: {flag: '--initial-delay-timeout', min: 0},
  timeoutSeconds: {flag: '--timeout-seconds', min: 1},
  periodSeconds: {flag: '--period-seconds', min: 1},
  successThreshold: {flag: '--success-threshold', min: 1},
  failureThreshold: {flag: '--failure-threshold', min: 1},
}

/** Kubernetes' minimums for probe timings (a 0 period or a -1 threshold would be refused when the pod is made). */
function checkTimings(t: ProbeTimings): void {
  for (const [key, {flag, min}] of Object.entries(TIMING_FLAGS)) {
    const value = t[key as keyof ProbeTimings]
    if (value < min) throw new UsageError(`${flag} ${value} is too small`, `give ${min === 0 ? 'zero or more' : 'at least 1'}`)
  }
}

export type ProbeTimings = {initialDelaySeconds: number; timeoutSeconds: number; periodSeconds: number; successThreshold: number; failureThreshold: number}

/** The probe `healthchecks:set` sends: timings plus one of httpGet (port, path, headers), exec (command) or tcpSocket (port). */
export function buildProbe(probeType: string, args: string[], opts: ProbeTimings & {path: string; headers?: string | undefined}): Probe {
  checkTimings(opts)
  if (!opts.path.startsWith('/')) throw new UsageError(`--path ${opts.path} does not start with /`, 'give the path part of the URL, e.g. --path /healthz')
  const timings: Probe = {...opts}
  delete (timings as Record<string, unknown>).path
  delete (timings as Record<string, unknown>).headers
  switch (probeType) {
    case 'httpGet': {
      const headers = parseHeaders(opts.headers)
      return {...timings, httpGet: {path: opts.path, port: port(args[0], probeType), ...(headers.length > 0 ? {httpHeaders: headers} : {})}}
    }
    case 'exec': {
      if (args.length === 0) throw new UsageError('exec needs a command', 'ex: healthchecks:set readiness exec -- cat /tmp/healthy')
      return {...timings, exec: {command: args}}
    }
    case 'tcpSocket':
      return {...timings, tcpSocket: {port: port(args[0], probeType)}}
    default:
      throw new UsageError(`invalid probe type ${probeType}. Must be one of: "httpGet", "exec", "tcpSocket"`, 'ex: healthchecks:set liveness httpGet 5000')
  }
}
