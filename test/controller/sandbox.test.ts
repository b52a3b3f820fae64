import {spawn, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {bubblewrap, openSandbox, unsandboxed, type Sandbox, type SandboxSpec} from '../../src/controller/runtime/sandbox.js'

/** Runs `script` with /bin/sh inside `sandbox` and returns what it printed and its exit status. */
function sh(sandbox: Sandbox, spec: SandboxSpec, script: string, extra: Record<string, string> = {}): {status: number | null; out: string} {
  const [file, args] = sandbox.wrap(['/bin/sh', '-c', script], spec)
  const r = spawnSync(file, args, {env: {...sandbox.env(spec), ...extra}, encoding: 'utf8', timeout: 30_000})
  return {status: r.status, out: r.stdout + r.stderr}
}

describe('sandbox for app code (bubblewrap)', () => {
  let root: string
  let data: string
  let app: string
  let other: string

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'sandbox-unit-'))
    data = join(root, 'data')
    app = join(data, 'slugs', 'mine', 'abc')
    other = join(data, 'slugs', 'theirs', 'def')
    for (const d of [app, other]) mkdirSync(d, {recursive: true, mode: 0o700})
    writeFileSync(join(data, 'controller.db'), 'secret database', {mode: 0o600})
    writeFileSync(join(app, 'server.js'), 'mine', {mode: 0o600})
    writeFileSync(join(app, 'run.sh'), '#!/bin/sh\necho ran as $(id -u)\n', {mode: 0o700})
    writeFileSync(join(other, 'server.js'), 'theirs', {mode: 0o600})
  })
  afterAll(() => rmSync(root, {recursive: true, force: true}))

  it('picks bubblewrap with a user namespace on this machine and says so', () => {
    const sandbox = openSandbox(data)
    expect(sandbox.isolated).toBe(true)
    expect(sandbox.mechanism).toMatch(/^bubblewrap: mount, pid, ipc and user namespaces/)
  })

  for (const kind of ['userns', 'root'] as const) {
    describe(`${kind === 'userns' ? 'with a user namespace' : 'as root without a user namespace'}`, () => {
      const sandbox = bubblewrap(kind)

      it('shows the app its own code at /app and nothing of the data dir, other apps, /root or the work tree', () => {
        const r = sh(
          sandbox,
          {dir: app},
          `pwd; cat /app/server.js; echo; ./run.sh; for p in ${data} ${other} /root /work /home /etc/shadow /etc/ssh /etc/ssl/private /sys; do test -e "$p" && echo "VISIBLE $p"; done; true`,
        )
        expect(r.out).toBe('/app\nmine\nran as ' + (kind === 'userns' ? '1000' : '0') + '\n')
        expect(r.status).toBe(0)
      })

      it('keeps /app read-only for processes and writable for builds, with a private /tmp', () => {
        expect(sh(sandbox, {dir: app}, 'touch /app/new').out).toContain('Read-only file system')
        expect(existsSync(join(app, 'new'))).toBe(false)
        writeFileSync(join(tmpdir(), `sandbox-unit-host-${process.pid}`), 'host tmp')
        const build = sh(sandbox, {dir: app, writable: true}, `echo built > /app/out.txt && ls /tmp | grep -c sandbox-unit-host || true`)
        rmSync(join(tmpdir(), `sandbox-unit-host-${process.pid}`))
        expect(build.out).toBe('0\n')
        expect(readFileSync(join(app, 'out.txt'), 'utf8')).toBe('built\n')
        rmSync(join(app, 'out.txt'))
      })

      it('gives only the minimal environment, no capabilities, its own pids and no writable kernel knobs', () => {
        const r = sh(
          sandbox,
          {dir: app},
          'env | sort; grep CapEff /proc/self/status; ls /proc | grep -cE "^[0-9]+$"; test -w /proc/sys/kernel/core_pattern && echo CORE; test -w /proc/sysrq-trigger && echo SYSRQ; true',
          {PORT: '5000', POWERED_BY: 'x'},
        )
        expect(r.out.split('\n').filter(l => !l.startsWith('PWD=') && !l.startsWith('SHLVL=') && l !== '_=/usr/bin/env')).toEqual([
          'HOME=/app',
          'HOST=127.0.0.1',
          'LANG=C.UTF-8',
          'PATH=/usr/local/bin:/usr/bin:/bin',
          'PORT=5000',
          'POWERED_BY=x',
          'CapEff:\t0000000000000000',
          // sh, ls, grep and bwrap's own init
          expect.stringMatching(/^[1-5]$/),
          '',
        ])
      })

      it(`has a 1 GiB /tmp and ${kind === 'userns' ? 'cannot' : 'can'} make a user namespace of its own`, () => {
        const r = sh(sandbox, {dir: app}, "df -k /tmp | tail -1 | awk '{print $2}'; unshare -U true 2>/dev/null && echo NESTED; true")
        // without a user namespace of its own bwrap cannot forbid them (--disable-userns needs --unshare-user)
        expect(r.out).toBe(kind === 'userns' ? '1048576\n' : '1048576\nNESTED\n')
      })

      it("runs the system interpreters, not the ones under root's home", () => {
        expect(sh(sandbox, {dir: app}, 'command -v python3; command -v node').out).toBe('/usr/bin/python3\n/usr/bin/node\n')
      })

      it('passes the exit status through, and a SIGTERM to the group reaches the app, which decides when to exit', async () => {
        expect(sh(sandbox, {dir: app}, 'exit 7').status).toBe(7)
        const [file, args] = sandbox.wrap(['/bin/sh', '-c', "trap 'sleep 0.3; echo drained; exit 3' TERM; echo ready; while :; do sleep 0.05; done"], {dir: app})
        const child = spawn(file, args, {env: sandbox.env({dir: app}), detached: true, stdio: ['ignore', 'pipe', 'pipe']})
        let out = ''
        child.stdout.setEncoding('utf8').on('data', d => (out += d))
        const closed = new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
        for (const deadline = Date.now() + 20_000; !out.includes('ready') && Date.now() < deadline;) await new Promise(r => setTimeout(r, 20))
        process.kill(-child.pid!, 'SIGTERM')
        expect(await closed).toBe(3)
        expect(out).toBe('ready\ndrained\n')
      })
    })
  }

  it('without bubblewrap, or when it fails its self-test, says there is no isolation and why', () => {
    const none = openSandbox(data, join(root, 'no-such-bwrap'))
    expect(none).toMatchObject({isolated: false, mechanism: 'none (bubblewrap (bwrap) is not installed)', fix: 'install bubblewrap (apt-get install bubblewrap)'})
    // what bwrap prints where user namespaces are off and it is not root
    const fake = join(root, 'fake-bwrap')
    writeFileSync(
      fake,
      '#!/bin/sh\necho "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n',
    )
    chmodSync(fake, 0o755)
    const failed = openSandbox(data, fake)
    expect(failed.isolated).toBe(false)
    expect(failed.mechanism).toContain('none (bubblewrap failed its self-test: bwrap: No permissions to creating new namespace')
  })

  it('unsandboxed runs the command itself with the same minimal environment, HOME in the app dir', () => {
    const none = unsandboxed('test')
    expect(none.wrap(['/bin/sh', '-c', 'true'], {dir: app})).toEqual(['/bin/sh', ['-c', 'true']])
    expect(none.env({dir: app})).toEqual({PATH: '/usr/local/bin:/usr/bin:/bin', HOME: app, HOST: '127.0.0.1', LANG: 'C.UTF-8'})
  })
})
