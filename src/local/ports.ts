import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {PORT_OPTIONS, type DaemonPorts} from '../controller/daemon.js'

export type PortName = (typeof PORT_OPTIONS)[number]

/** Where a port came from: its own flag, `--port 0` (picked free), the data dir's last start, or the default. */
export type PortSource = 'flag' | 'free' | 'saved' | 'default'

/** The ports a start asks the daemon for, and why each one. */
export type PortChoice = {ports: DaemonPorts; source: Record<PortName, PortSource>}

export const DEFAULT_PORTS: DaemonPorts = {port: 8000, 'builder-port': 2222, 'router-port': 8080, 'router-https-port': 8443}

const FILE = 'ports.json'

export const portsFile = (dataDir: string) => join(dataDir, FILE)

/** The ports the data dir's daemon listened on last time (only valid entries), or {} before its first start. */
export function readSavedPorts(dataDir: string): Partial<DaemonPorts> {
  let saved: Record<string, unknown>
  try {
    saved = JSON.parse(readFileSync(portsFile(dataDir), 'utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
  const valid = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) <= 65_535
  return Object.fromEntries(PORT_OPTIONS.filter(name => valid(saved[name])).map(name => [name, saved[name]]))
}

/** Records the ports a daemon listens on, so the next start (and so profiles and git remotes) keep them. */
export function savePorts(dataDir: string, ports: DaemonPorts): void {
  const tmp = `${portsFile(dataDir)}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(ports, null, 2)}\n`, {mode: 0o600})
  renameSync(tmp, portsFile(dataDir))
}

/**
 * Each port from its own flag; else, with `--port 0`, a free one; else the one saved by the last start;
 * else the default. So `--port 0` once moves everything, and later starts keep the addresses it got.
 */
export function choosePorts(flags: {[K in PortName]?: number | undefined}, saved: Partial<DaemonPorts>): PortChoice {
  const ports = {} as DaemonPorts
  const source = {} as Record<PortName, PortSource>
  for (const name of PORT_OPTIONS) {
    const flag = flags[name]
    const [port, from]: [number, PortSource] =
      flag !== undefined ? [flag, 'flag'] : flags.port === 0 ? [0, 'free'] : saved[name] === undefined ? [DEFAULT_PORTS[name], 'default'] : [saved[name]!, 'saved']
    ports[name] = port
    source[name] = from
  }
  return {ports, source}
}
