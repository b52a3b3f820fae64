import {execFileSync} from 'node:child_process'
import {chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {LocalInstance} from '../../../src/controller/daemon.js'
import {stopLocal} from '../../../src/local/daemon-process.js'
import {localPaths} from '../../../src/local/instance.js'
import {runDeis} from '../../helpers/run.js'
import {get, gitWithKey, until} from '../runtime/helpers.js'

const READER = fileURLToPath(new URL('fixtures/reader', import.meta.url))
const CANARY = 'operator-canary-7f3a9c'

type Attacker = {name: string; home: string; app: string; other: string; secret: string}

/** Octal permission bits of a path, e.g. '700'. */
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8)

/** Every path under `dir` whose mode grants group or other anything. */
function looseUnder(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    const path = join(entry.parentPath, entry.name)
    if (!entry.isSymbolicLink() && (statSync(path).mode & 0o077) !== 0) out.push(path)
  }
  return out
}

/**
 * Against a real `deis local:start` daemon (builder, scheduler, router): a newly registered user
 * (mallory, app "snoop") and a collaborator on the operator's app (carol, app "vault") try to read
 * the controller's database and host key, each other's code and the operator's files through
 * `deis run`, through a pushed app that reads any path its query names, and from its build script.
 */
describe('attacker suite: app sandbox and file modes of the local controller', () => {
  let root: string
  let data: string
  let operator: string
  let rec: LocalInstance
  let routerPort: number
  let builderPort: number
  const sha: Record<string, string> = {}
  const attackers: Attacker[] = []

  const deis = (home: string, args: string[]) => runDeis(home, args, {timeoutMs: 60_000})

  /** Paths an attacker must not see from its app's sandbox; `shaOther` adds the other app's code file. */
  const targets = (a: Attacker, withSha: boolean) => [
    data,
    join(data, 'controller.db'),
    join(data, 'builder_host_key'),
    join(data, 'slugs'),
    join(data, 'slugs', a.other),
    join(data, 'repos', `${a.other}.git`, 'HEAD'),
    ...(withSha ? [join(data, 'slugs', a.other, sha[a.other]!, 'secret.txt')] : []),
    join(operator, 'operator-secret.txt'),
    join(operator, '.deis', 'client.json'),
    '/root',
    // the attack: the release directory was <data>/slugs/<app>/<sha>
    '../../../controller.db',
  ]

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sandbox-sec-'))
    data = join(root, 'data')
    operator = join(root, 'operator')
    // a data dir an older controller left world-readable, with an app's code in it
    for (const d of [join(data, 'slugs', 'oldapp', 'abc1234', 'bin'), join(data, 'repos', 'oldapp.git'), operator]) mkdirSync(d, {recursive: true})
    writeFileSync(join(data, 'slugs', 'oldapp', 'abc1234', 'bin', 'start'), '#!/bin/sh\n', {mode: 0o755})
    writeFileSync(join(data, 'slugs', 'oldapp', 'abc1234', 'index.js'), '', {mode: 0o644})
    writeFileSync(join(data, 'repos', 'oldapp.git', 'HEAD'), 'ref: refs/heads/main\n', {mode: 0o644})
    for (const d of [data, join(data, 'slugs'), join(data, 'slugs', 'oldapp'), join(data, 'slugs', 'oldapp', 'abc1234'), join(data, 'repos')]) chmodSync(d, 0o755)
    writeFileSync(join(operator, 'operator-secret.txt'), 'OPERATOR-SECRET\n', {mode: 0o644})

    const start = await runDeis(operator, ['local:start', '--port', '0', '--data-dir', data], {env: {OPERATOR_CANARY: CANARY}, timeoutMs: 60_000})
    expect(start.stderr).not.toContain('not isolated')
    expect(start.exitCode).toBe(0)
    rec = JSON.parse(readFileSync(join(data, 'controller.pid'), 'utf8')) as LocalInstance
    routerPort = Number(new URL(rec.router!).port)
    builderPort = Number(new URL(rec.builder!).port)
    expect(await deis(operator, ['register', rec.url, '--username', 'operator', '--password', 'operator-pw', '--email', 'op@example.com'])).toMatchObject({exitCode: 0})
    const adminToken = (JSON.parse(readFileSync(join(operator, '.deis', 'client.json'), 'utf8')) as {token: string}).token

    for (const [name, app, other] of [
      ['mallory', 'snoop', 'vault'],
      ['carol', 'vault', 'snoop'],
    ] as const) {
      const home = join(root, name)
      mkdirSync(home)
      // the admin registers them, which works whatever the registration mode
      const r = await fetch(`${rec.url}/v2/auth/register/`, {
        method: 'POST',
        headers: {Authorization: `token ${adminToken}`, 'Content-Type': 'application/json'},
        body: JSON.stringify({username: name, password: `${name}-pw`, email: `${name}@example.com`}),
      })
      expect(r.status).toBe(201)
      expect(await deis(home, ['login', rec.url, '--username', name, '--password', `${name}-pw`])).toMatchObject({exitCode: 0})
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@laptop`, '-f', join(home, 'id')])
      expect(await deis(home, ['keys:add', join(home, 'id.pub')])).toMatchObject({exitCode: 0})
      attackers.push({name, home, app, other, secret: `${app.toUpperCase()}-SECRET`})
    }
    // mallory makes her own app; carol works on the operator's
    expect(await deis(attackers[0]!.home, ['create', 'snoop', '--no-remote'])).toMatchObject({exitCode: 0})
    expect(await deis(operator, ['create', 'vault', '--no-remote'])).toMatchObject({exitCode: 0})
    expect(await deis(operator, ['perms:create', 'carol', '--app', 'vault'])).toMatchObject({exitCode: 0})

    for (const a of attackers) {
      const repo = join(root, `${a.app}-src`)
      cpSync(READER, repo, {recursive: true})
      writeFileSync(join(repo, 'secret.txt'), `${a.secret}\n`)
      writeFileSync(join(repo, 'targets.json'), JSON.stringify(targets(a, false)))
      for (const args of [
        ['init', '-q', '-b', 'main'],
        ['add', '.'],
        ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', a.app],
      ])
        execFileSync('git', args, {cwd: repo})
      sha[a.app] = execFileSync('git', ['rev-parse', 'HEAD'], {cwd: repo, encoding: 'utf8'}).trim()
      const push = await gitWithKey(repo, join(a.home, 'id'), ['push', `ssh://git@127.0.0.1:${builderPort}/${a.app}.git`, 'main'])
      expect(push.stderr).toContain(`Done, ${a.app}:v`)
      expect(push.exitCode).toBe(0)
      await until(async () => (await get(routerPort, `${a.app}.localhost`, '/?path=/app/secret.txt')).body === `${a.secret}\n`, `${a.app} to serve`, 60_000)
    }
  }, 240_000)

  afterAll(async () => {
    if (data) await stopLocal(localPaths(data, {}))
    if (root) rmSync(root, {recursive: true, force: true})
  })

  it('says at start that apps run in the bubblewrap sandbox', () => {
    expect(rec.sandbox).toEqual({isolated: true, mechanism: expect.stringMatching(/^bubblewrap: mount, pid, ipc and user namespaces/), fix: ''})
    expect(readFileSync(join(data, 'controller.log'), 'utf8')).toMatch(/ app sandbox: bubblewrap: /)
  })

  for (const who of ['mallory', 'carol']) {
    describe(`${who === 'mallory' ? 'a newly registered user (mallory, own app)' : "a collaborator (carol, on the operator's app)"}`, () => {
      const me = () => attackers.find(a => a.name === who)!

      it("cannot read the database, the host key, the other app's code or the operator's files through deis run", async () => {
        const a = me()
        const script = `for p in ${targets(a, true).join(' ')}; do if cat "$p" >/dev/null 2>&1 || ls "$p" >/dev/null 2>&1; then echo "SEEN $p"; else echo "hidden"; fi; done; cat secret.txt; ls -A / | tr '\\n' ' '; ls -A /tmp | wc -l`
        const r = await deis(a.home, ['run', '--app', a.app, '--', script])
        expect(r.stdout).toBe(`${'hidden\n'.repeat(targets(a, true).length)}${a.secret}\napp bin dev etc lib lib64 proc sbin tmp usr var 0\n`)
        expect(r.exitCode).toBe(0)
      })

      it("sees only its config, PORT-less one-off environment and nothing of the operator's through deis run", async () => {
        const a = me()
        const r = await deis(a.home, ['run', '--app', a.app, '--', 'env'])
        expect(r.exitCode).toBe(0)
        const env = Object.fromEntries(
          r.stdout
            .trim()
            .split('\n')
            .map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        )
        // PWD, SHLVL and _ are the shell's own
        expect(Object.keys(env).sort()).toEqual(['DEIS_APP', 'HOME', 'HOST', 'HOSTNAME', 'LANG', 'PATH', 'PWD', 'SHLVL', 'SOURCE_VERSION', 'WORKFLOW_RELEASE', '_'])
        expect(env).toMatchObject({HOME: '/app', HOST: '127.0.0.1', PATH: '/usr/local/bin:/usr/bin:/bin', PWD: '/app', DEIS_APP: a.app, SOURCE_VERSION: sha[a.app]})
        expect(r.stdout).not.toContain(CANARY)
        expect(r.stdout).not.toContain(operator)
      })

      it('cannot read them through its pushed app either, which reads its own code', async () => {
        const a = me()
        const host = `${a.app}.localhost`
        const seen = await get(routerPort, host, `/view?paths=${encodeURIComponent(JSON.stringify(targets(a, true)))}`)
        expect(Object.values(JSON.parse(seen.body) as Record<string, string>)).toEqual(targets(a, true).map(() => 'ENOENT'))
        expect(await get(routerPort, host, `/?path=${encodeURIComponent(join(data, 'controller.db'))}`)).toMatchObject({status: 404, body: 'ENOENT'})
        expect(await get(routerPort, host, '/?path=/app/secret.txt')).toMatchObject({status: 200, body: `${a.secret}\n`})
        const env = JSON.parse((await get(routerPort, host, '/env')).body) as Record<string, string>
        expect(env).toMatchObject({HOME: '/app', HOST: '127.0.0.1', DEIS_APP: a.app})
        expect(JSON.stringify(env)).not.toContain(CANARY)
        expect(env.PORT).toMatch(/^\d+$/)
      })

      it("could not read them from its build (the package's build script) either", async () => {
        const a = me()
        const build = JSON.parse((await get(routerPort, `${a.app}.localhost`, '/?path=/app/build-view.json')).body) as {
          view: Record<string, string>
          env: Record<string, string>
        }
        expect(Object.values(build.view)).toEqual(targets(a, false).map(() => 'ENOENT'))
        expect(build.env.HOME).toBe('/app')
        expect(JSON.stringify(build.env)).not.toContain(CANARY)
        expect(JSON.stringify(build.env)).not.toContain(operator)
      })
    })
  }

  it("app ports listen on 127.0.0.1 only; from this machine they still bypass the router's rules (documented limit)", async () => {
    const mallory = attackers[0]!
    const port = Number((await get(routerPort, 'snoop.localhost', '/port')).body)
    const hex = port.toString(16).toUpperCase().padStart(4, '0')
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .filter(l => l.trim().split(/\s+/)[3] === '0A')
      .map(l => l.trim().split(/\s+/)[1])
    expect(listening.filter(addr => addr?.endsWith(`:${hex}`))).toEqual([`0100007F:${hex}`])
    expect(readFileSync('/proc/net/tcp6', 'utf8')).not.toMatch(new RegExp(`:${hex} [0-9A-F:]+ 0A `))
    expect(await deis(mallory.home, ['maintenance:on', '--app', 'snoop'])).toMatchObject({exitCode: 0})
    try {
      await until(async () => (await get(routerPort, 'snoop.localhost', '/port')).status === 503, 'the router to answer 503')
      // the sandbox shares the host's network: a local process reaches the app's loopback port directly
      expect(await get(port, 'snoop.localhost', '/port')).toMatchObject({status: 200, body: String(port)})
    } finally {
      await deis(mallory.home, ['maintenance:off', '--app', 'snoop'])
    }
  })

  it('keeps controller state 0600 in 0700 folders and app code without group or other access, fixing what was loose', () => {
    expect(mode(data)).toBe('700')
    for (const f of ['controller.db', 'controller.db-wal', 'controller.db-shm', 'builder_host_key', 'controller.log', 'controller.pid'])
      expect([f, mode(join(data, f))]).toEqual([f, '600'])
    for (const d of ['run', 'slugs', 'repos']) expect([d, mode(join(data, d))]).toEqual([d, '700'])
    expect(readdirSync(join(data, 'run')).length).toBeGreaterThan(0)
    for (const d of ['run', 'slugs', 'repos']) expect(looseUnder(join(data, d))).toEqual([])
    // exec bits stay: the owner can still run what the app ships
    expect(mode(join(data, 'slugs', 'oldapp', 'abc1234', 'bin', 'start'))).toBe('700')
    expect(mode(join(data, 'slugs', 'oldapp', 'abc1234', 'index.js'))).toBe('600')
    expect(mode(join(data, 'slugs', 'snoop', sha.snoop!, 'server.js'))).toBe('600')
  })
})
