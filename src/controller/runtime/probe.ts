import {spawn} from 'node:child_process'
import {request} from 'node:http'
import {connect} from 'node:net'
import type {Probe} from '../../api/types.js'

export type {Probe} from '../../api/types.js'

export type Healthcheck = {livenessProbe?: Probe; readinessProbe?: Probe}

/** Kubernetes defaults for the probe timings, in milliseconds. */
export function probeTimings(p: Probe): {delay: number; timeout: number; period: number; success: number; failure: number} {
  return {
    delay: (p.initialDelaySeconds ?? 0) * 1000,
    timeout: (p.timeoutSeconds ?? 1) * 1000,
    period: (p.periodSeconds ?? 10) * 1000,
    success: p.successThreshold ?? 1,
    failure: p.failureThreshold ?? 3,
  }
}

/** True when something accepts TCP connections on 127.0.0.1:`port` within `timeout` ms. */
export function tcpOpen(port: number, timeout: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({port, host: '127.0.0.1'})
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeout, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

function httpOk(port: number, probe: NonNullable<Probe['httpGet']>, timeout: number): Promise<boolean> {
  return new Promise(resolve => {
    const headers: Record<string, string> = {}
    for (const h of probe.httpHeaders ?? []) headers[h.name] = h.value
    const req = request({host: '127.0.0.1', port, path: probe.path ?? '/', headers, timeout}, res => {
      res.resume()
      const status = res.statusCode ?? 0
      resolve(status >= 200 && status < 400)
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', () => resolve(false))
    req.end()
  })
}

function execOk(command: string[], cwd: string, env: Record<string, string>, timeout: number, wrap: Wrap): Promise<boolean> {
  return new Promise(resolve => {
    const child = spawn(...wrap(command), {cwd, env, stdio: 'ignore', timeout})
    child.on('error', () => resolve(false))
    child.on('exit', code => resolve(code === 0))
  })
}

/** Turns an exec probe's command into the one that runs it in the app's sandbox. */
type Wrap = (argv: string[]) => [string, string[]]

/**
 * Runs one probe against a process listening on `port` (the probe's own port is the container
 * port, which is always `PORT` locally). A probe of no known kind fails.
 */
export async function runProbe(p: Probe, port: number, cwd: string, env: Record<string, string>, wrap: Wrap = argv => [argv[0]!, argv.slice(1)]): Promise<boolean> {
  const {timeout} = probeTimings(p)
  if (p.httpGet) return httpOk(port, p.httpGet, timeout)
  if (p.tcpSocket) return tcpOpen(port, timeout)
  if (p.exec?.command?.length) return execOk(p.exec.command, cwd, env, timeout, wrap)
  return false
}
