import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {LocalInstance} from '../../../src/controller/daemon.js'
import {stopLocal} from '../../../src/local/daemon-process.js'
import {localPaths} from '../../../src/local/instance.js'
import {runDeis} from '../../helpers/run.js'

/** What bwrap prints where user namespaces are off and it is not setuid (a non-root controller on a locked-down kernel). */
const NO_USERNS = 'bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces.'

const FIX =
  'let bubblewrap create user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, kernel.apparmor_restrict_unprivileged_userns) or run the controller as root'

describe('a local controller that cannot isolate apps serves one user only', () => {
  let root: string
  let data: string
  let env: Record<string, string>
  let start: Awaited<ReturnType<typeof runDeis>>

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sandbox-none-'))
    data = join(root, 'data')
    const bin = join(root, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'bwrap'), `#!/bin/sh\necho "${NO_USERNS}" >&2\nexit 1\n`)
    chmodSync(join(bin, 'bwrap'), 0o755)
    env = {PATH: `${bin}:${process.env.PATH}`}
    for (const u of ['first', 'second']) mkdirSync(join(root, u))
    start = await runDeis(join(root, 'first'), ['local:start', '--port', '0', '--data-dir', data, '--registration', 'enabled'], {env, timeoutMs: 60_000})
  }, 90_000)

  afterAll(async () => {
    if (data) await stopLocal(localPaths(data, {}))
    if (root) rmSync(root, {recursive: true, force: true})
  })

  it('says so at local:start, in the pid file and in the log', () => {
    const rec = JSON.parse(readFileSync(join(data, 'controller.pid'), 'utf8')) as LocalInstance
    const mechanism = `none (bubblewrap failed its self-test: ${NO_USERNS})`
    expect(rec.sandbox).toEqual({isolated: false, mechanism, fix: FIX})
    expect(start.exitCode).toBe(0)
    expect(start.stderr).toContain(`Warning: apps are not isolated here (sandbox: ${mechanism}), so this controller serves one user only; ${FIX}, then restart it\n`)
    expect(readFileSync(join(data, 'controller.log'), 'utf8')).toContain(` WARNING: no app sandbox, so registration of a second user is refused: ${mechanism}; ${FIX}\n`)
  })

  it('registers the first user and refuses a second with the reason and the fix, creating nobody', async () => {
    const rec = JSON.parse(readFileSync(join(data, 'controller.pid'), 'utf8')) as LocalInstance
    const first = await runDeis(join(root, 'first'), ['register', rec.url, '--username', 'first', '--password', 'first-pw', '--email', 'first@example.com'], {env})
    expect(first.exitCode).toBe(0)
    const second = await runDeis(join(root, 'second'), ['register', rec.url, '--username', 'second', '--password', 'second-pw', '--email', 'second@example.com'], {env})
    expect(second.exitCode).not.toBe(0)
    expect(second.stderr).toBe(
      `Error: this local controller cannot isolate apps from each other and from its own files (sandbox: none (bubblewrap failed its self-test: ${NO_USERNS})), so it serves one user only; ${FIX}, then restart it with "deis local:stop" and "deis local:start"\n`,
    )
    const token = (JSON.parse(readFileSync(join(root, 'first', '.deis', 'client.json'), 'utf8')) as {token: string}).token
    // not even the admin may add a second user
    const byAdmin = await fetch(`${rec.url}/v2/auth/register/`, {
      method: 'POST',
      headers: {Authorization: `token ${token}`, 'Content-Type': 'application/json'},
      body: JSON.stringify({username: 'third', password: 'pw'}),
    })
    expect(byAdmin.status).toBe(403)
    const users = await fetch(`${rec.url}/v2/users/`, {headers: {Authorization: `token ${token}`}})
    expect(((await users.json()) as {results: Array<{username: string}>}).results.map(u => u.username)).toEqual(['first'])
  })
})
