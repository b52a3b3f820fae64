import {readdirSync, readFileSync, readlinkSync, rmSync} from 'node:fs'
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
  /** Each running process's pod name, process group (its leader's pid) and the PORT it was given. */
  listening?: Array<{name: string; pid: number | undefined; port: number}>
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

/** Decodes an address of /proc/net/tcp{,6} (hex, in host byte order per 32-bit word). */
function procAddress(hex: string, v6: boolean): string {
  const [ip, port] = hex.split(':') as [string, string]
  const words = ip.match(/.{8}/g) ?? []
  const bytes = words.flatMap(w => (w.match(/../g) ?? []).reverse().map(b => Number.parseInt(b, 16)))
  const p = Number.parseInt(port, 16)
  if (!v6) return `${bytes.join('.')}:${p}`
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
  const text = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')
  return `[${text.replace(/^0:0:0:0:0:ffff:/, '::ffff:')}]:${p}`
}

/** True for addresses only this machine can reach. */
function loopback(address: string): boolean {
  return address.startsWith('127.') || address.startsWith('[::1]') || address.startsWith('[::ffff:7f')
}

/**
 * The TCP addresses the process group `pgid` listens on that other machines can reach (not
 * loopback), read from /proc: the group's sockets, matched to the kernel's listening table.
 */
export function exposedListeners(pgid: number): string[] {
  const inodes = new Set<string>()
  let pids: string[] = []
  try {
    pids = readdirSync('/proc').filter(d => /^\d+$/.test(d))
  } catch {
    return []
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2] !== String(pgid)) continue
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
        if (m) inodes.add(m[1]!)
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  const exposed: string[] = []
  for (const [file, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ] as const) {
    let table = ''
    try {
      table = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const row of table.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/)
      // field 3 is the state (0A = LISTEN), field 9 the socket's inode
      if (f[3] !== '0A' || !inodes.has(f[9] ?? '')) continue
      const address = procAddress(f[1]!, v6)
      if (!loopback(address)) exposed.push(address)
    }
  }
  return exposed
}
