import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import type {LocalInstance} from '../../../src/controller/daemon.js'

/** Pids of daemon processes whose command line names `dataDir` (read from /proc: this suite runs on Linux). */
export function daemonPids(dataDir: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let cmd = ''
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ')
    } catch {
      continue
    }
    if (cmd.includes('daemon.js') && cmd.includes(`--data-dir ${dataDir} `)) pids.push(Number(entry))
  }
  return pids
}

export const alive = (pid: number) => existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8') !== ''
export const pidFile = (dir: string) => JSON.parse(readFileSync(join(dir, 'controller.pid'), 'utf8')) as LocalInstance

/** A listener on a free port of 127.0.0.1, to make a port "in use". */
export async function blockPort(): Promise<{port: number; server: Server}> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {port: (server.address() as {port: number}).port, server}
}
