import {spawn, type ChildProcess} from 'node:child_process'
import {afterEach, describe, expect, it} from 'vitest'
import {exposedListeners} from '../../../src/controller/runtime/status.js'

/** A process group (as the runtime starts apps) whose process listens on `host`; resolves with it and its port. */
function listener(host: string): Promise<{child: ChildProcess; port: number}> {
  const child = spawn(process.execPath, ['-e', `const s = require('node:net').createServer().listen(0, '${host}', () => console.log(s.address().port))`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise(resolve => child.stdout!.setEncoding('utf8').once('data', d => resolve({child, port: Number(String(d).trim())})))
}

describe('local:status listening-address check', () => {
  const children: ChildProcess[] = []
  afterEach(() => {
    for (const c of children.splice(0)) process.kill(-c.pid!, 'SIGKILL')
  })

  it('names the addresses other machines can reach, and nothing for loopback', async () => {
    const open = await listener('0.0.0.0')
    const local = await listener('127.0.0.1')
    children.push(open.child, local.child)
    expect(exposedListeners(open.child.pid!)).toEqual([`0.0.0.0:${open.port}`])
    expect(exposedListeners(local.child.pid!)).toEqual([])
  })

  it('reads IPv6 listeners too', async () => {
    const any = await listener('::')
    children.push(any.child)
    expect(exposedListeners(any.child.pid!)).toEqual([`[::]:${any.port}`])
  })
})
