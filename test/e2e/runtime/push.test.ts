import {execFileSync, spawn} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createController, type Controller} from '../../../src/controller/server.js'
import {BIN, runDeis} from '../../helpers/run.js'
import {alive, get, getTls, gitWithKey, SAMPLE, selfSigned, until} from './helpers.js'
import {findApp} from '../../../src/controller/model/apps.js'
import {mintToken} from '../../../src/controller/model/tokens.js'
import {createUser} from '../../../src/controller/model/users.js'
import {countBuilds} from '../../../src/controller/model/builds.js'
import {transferKeys} from '../../../src/controller/model/keys.js'
import {countReleases} from '../../../src/controller/model/releases.js'

const APP = 'example-app'
const HOST = `${APP}.localhost`

/** `git` with the test's ssh key and no host-key prompts; resolves with what the pusher sees. */
describe('local runtime: git push, processes and router end to end', () => {
  let ctl: Controller
  let data: string
  let home: string
  let repo: string
  let work: string
  let ports: {builder: number; http: number; https: number}
  let token: string

  const start = async () => {
    ctl = await createController({
      port: 0,
      dataDir: data,
      runtime: {dataDir: data, builderPort: ports.builder, httpPort: ports.http, httpsPort: ports.https, graceMs: 2000, readyTimeoutMs: 8000},
    })
    const a = ctl.runtime!.addresses()
    ports = {builder: Number(a.builder.split(':').pop()), http: Number(a.router.split(':').pop()), https: Number(a.router_https.split(':').pop())}
  }
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${ctl.url}${path}`, {
      method,
      headers: {Authorization: `token ${token}`, 'Content-Type': 'application/json'},
      ...(body === undefined ? {} : {body: JSON.stringify(body)}),
    })
    return {status: r.status, body: (await r.text()) || undefined}
  }
  const profile = () => {
    mkdirSync(join(home, '.deis'), {recursive: true})
    writeFileSync(
      join(home, '.deis', 'client.json'),
      JSON.stringify({username: 'alice', ssl_verify: true, controller: ctl.url, token, response_limit: 0, builder: `ssh://127.0.0.1:${ports.builder}`}),
    )
  }
  const deis = (args: string[]) => runDeis(home, args, {cwd: repo})
  const servedBy = async (n: number) => {
    const seen = new Set<string>()
    for (let i = 0; i < n; i++) seen.add((await get(ports.http, HOST)).body)
    return seen
  }

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'deis-rt-data-'))
    home = mkdtempSync(join(tmpdir(), 'deis-rt-home-'))
    work = mkdtempSync(join(tmpdir(), 'deis-rt-work-'))
    ports = {builder: 0, http: 0, https: 0}
    await start()
    await createUser(ctl.store, {username: 'alice', password: 'alicepw', email: 'alice@example.com', is_superuser: true})
    token = mintToken(ctl.store, 'alice')
    await createUser(ctl.store, {username: 'bob', password: 'bobpw', email: 'bob@example.com', is_superuser: false})
    profile()
    for (const name of ['alice', 'stranger']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@laptop`, '-f', join(work, name)])
    repo = join(work, 'hello-node')
    cpSync(SAMPLE, repo, {recursive: true})
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['add', '.'],
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'hello'],
    ])
      execFileSync('git', args, {cwd: repo})
  })
  afterAll(async () => {
    await ctl?.close()
    for (const d of [data, home, work]) rmSync(d, {recursive: true, force: true})
  })

  it('pushes the sample app with a key registered through the CLI and serves it through the router', async () => {
    expect(await deis(['keys:add', join(work, 'alice.pub')])).toMatchObject({exitCode: 0})
    expect(await deis(['create', APP])).toMatchObject({exitCode: 0})
    const push = await gitWithKey(repo, join(work, 'alice'), ['push', 'deis', 'main'])
    expect(push.exitCode).toBe(0)
    // git pads sideband lines with spaces to clear the terminal line; the padding is git's, not ours
    const remote = push.stderr
      .split('\n')
      .filter(l => l.startsWith('remote: '))
      .map(l => l.trimEnd())
    expect(remote).toEqual(
      expect.arrayContaining([
        `remote: -----> Building ${APP} from ${execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], {cwd: repo, encoding: 'utf8'}).trim()}`,
        'remote: -----> Node.js app detected',
        'remote: -----> No dependencies in package.json: nothing to install',
        'remote:        Procfile declares types -> web',
        'remote: -----> Launching...',
        `remote:        Done, ${APP}:v2 deployed to Deis`,
      ]),
    )
    const r = await get(ports.http, HOST)
    expect(r.status).toBe(200)
    expect(r.body).toMatch(/^Powered by Deis\nRelease v2 on example-app-web-\d{10}-[a-z0-9]{5}\n$/)
    expect(findApp(ctl.store, APP)!.structure).toEqual({web: 1})
    const ps = await deis(['ps:list', '--app', APP, '--json'])
    const pods = JSON.parse(ps.stdout) as {count: number; results: Array<{name: string; state: string; release: string; type: string}>}
    expect(pods.count).toBe(1)
    expect(pods.results[0]).toMatchObject({state: 'up', release: 'v2', type: 'web'})
    expect(r.body).toContain(pods.results[0]!.name)
    const logs = await deis(['logs', '--app', APP])
    expect(logs.exitCode).toBe(0)
    expect(logs.stdout).toMatch(/ example-app\[build\]: -----> Launching\.\.\.\n/)
    expect(logs.stdout).toMatch(/ example-app\[web\.v2\.\w{5}\]: listening on port \d+\n/)
  })

  it('refuses an unregistered key, path tricks, unknown apps and strangers, leaving no trace', async () => {
    const builds = () => countBuilds(ctl.store)
    const before = builds()
    const url = (path: string) => `ssh://git@127.0.0.1:${ports.builder}/${path}`
    // ssh shows the builder's explanation at its default log level (INFO)
    const stranger = await gitWithKey(repo, join(work, 'stranger'), ['push', url(`${APP}.git`), 'main'], 'INFO')
    expect(stranger.exitCode).not.toBe(0)
    expect(stranger.stderr).toContain('This SSH key is not registered with deis (or the user is not "git"): add your public key with "deis keys:add ~/.ssh/id_ed25519.pub"')
    expect(stranger.stderr).toContain('Permission denied (publickey)')
    const tricks = await gitWithKey(repo, join(work, 'alice'), ['push', url('../../etc.git'), 'main'])
    expect(tricks.stderr).toContain('error: "../../etc.git" is not a repository name: use <app>.git')
    const unknown = await gitWithKey(repo, join(work, 'alice'), ['push', url('nope.git'), 'main'])
    expect(unknown.stderr).toContain('error: app "nope" does not exist: create it with "deis create nope"')
    // bob holds a key but no permission on the app
    transferKeys(ctl.store, 'alice', 'bob')
    const bob = await gitWithKey(repo, join(work, 'alice'), ['push', url(`${APP}.git`), 'main'])
    transferKeys(ctl.store, 'bob', 'alice')
    expect(bob.stderr).toContain(`error: user "bob" may not push to "${APP}": ask its owner to run "deis perms:create bob --app ${APP}"`)
    for (const r of [tricks, unknown, bob]) expect(r.exitCode).not.toBe(0)
    expect(builds()).toBe(before)
  })

  it('scales to three processes that all answer, and brings a killed one back', async () => {
    expect(await deis(['ps:scale', 'web=3', '--app', APP])).toMatchObject({exitCode: 0})
    expect(await servedBy(9)).toHaveLength(3)
    const [name, pid] = Object.entries(ctl.runtime!.scheduler.pids(APP))[0]!
    process.kill(pid!, 'SIGKILL')
    await until(() => {
      const now = ctl.runtime!.scheduler.pids(APP)[name]
      return now && now !== pid && ctl.runtime!.pods(APP).every(p => p.state === 'up')
    }, 'the killed process to come back')
    expect(alive(pid)).toBe(false)
    expect(await servedBy(9)).toHaveLength(3)
  })

  it('publishes process counts and the settings it stores but cannot apply for local:status', async () => {
    expect(await deis(['autoscale:set', 'web', '--min', '1', '--max', '4', '--cpu-percent', '50', '--app', APP])).toMatchObject({exitCode: 0})
    const status = await until(() => {
      const s = JSON.parse(readFileSync(join(data, 'runtime.json'), 'utf8')) as {apps: Array<{not_enforced: string[]}>}
      return s.apps[0]?.not_enforced.length ? s : undefined
    }, 'runtime.json to show autoscale')
    expect(status).toMatchObject({api: ctl.url, builder: `ssh://127.0.0.1:${ports.builder}`, router: `http://127.0.0.1:${ports.http}`, platform_domain: 'localhost'})
    expect(status.apps).toEqual([{id: APP, processes: {web: {desired: 3, up: 3, starting: 0, crashed: 0}}, not_enforced: ['autoscale'], listening: expect.any(Array)}])
    expect((status.apps[0] as {listening: unknown[]}).listening).toHaveLength(3)
  })

  it('shows a config change in the response, and the old value after a rollback', async () => {
    const set = await deis(['config:set', 'POWERED_BY=local', '--app', APP])
    expect(set.exitCode).toBe(0)
    expect((await get(ports.http, HOST)).body).toMatch(/^Powered by local\nRelease v3 on /)
    expect(await deis(['releases:rollback', '--app', APP])).toMatchObject({exitCode: 0})
    expect((await get(ports.http, HOST)).body).toMatch(/^Powered by Deis\nRelease v4 on /)
  })

  it('runs a one-off command with the release environment', async () => {
    const command = 'echo $DEIS_APP $WORKFLOW_RELEASE $POWERED_BY; ls Procfile'
    expect(await deis(['run', '--app', APP, '--', command])).toEqual({exitCode: 0, stdout: `${APP} v4\nProcfile\n`, stderr: `Running '${command}'...\n`})
    const failing = await deis(['run', '--app', APP, '--', 'echo no >&2; exit 7'])
    expect(failing).toMatchObject({exitCode: 7, stdout: ''})
    expect(failing.stderr).toContain('no\n')
    // several arguments are quoted one by one, so `sh -c` gets its script as one word
    const quoted = await deis(['run', '--app', APP, '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
    expect(quoted).toMatchObject({exitCode: 3})
    expect(quoted.stderr).toContain('out\nerr\n')
  })

  it('serves a domain over HTTPS with its attached certificate; whitelist 403, maintenance 503', async () => {
    const pem = selfSigned(work, 'www.example.test')
    writeFileSync(join(work, 'www.crt'), pem.cert)
    writeFileSync(join(work, 'www.key'), pem.key)
    for (const args of [
      ['domains:add', 'www.example.test', '--app', APP],
      ['certs:add', 'www-cert', join(work, 'www.crt'), join(work, 'www.key')],
      ['certs:attach', 'www-cert', 'www.example.test'],
    ]) {
      expect(await deis(args)).toMatchObject({exitCode: 0})
    }
    const tls = await getTls(ports.https, 'www.example.test', pem.cert)
    expect(tls.status).toBe(200)
    expect(tls.body).toMatch(/^Powered by Deis\n/)
    expect(tls.cert.fingerprint256).toBe(JSON.parse((await api('GET', '/v2/certs/www-cert')).body!).fingerprint)
    const expectAfter = async (args: string[], status: number) => {
      expect(await deis([...args, '--app', APP])).toMatchObject({exitCode: 0})
      expect((await get(ports.http, HOST)).status).toBe(status)
    }
    await expectAfter(['whitelist:add', '10.0.0.0/8'], 403)
    await expectAfter(['whitelist:add', '127.0.0.1'], 200)
    await expectAfter(['whitelist:remove', '10.0.0.0/8,127.0.0.1'], 200)
    await expectAfter(['maintenance:on'], 503)
    await expectAfter(['maintenance:off'], 200)
    await expectAfter(['routing:disable'], 404)
    await expectAfter(['routing:enable'], 200)
    await expectAfter(['tls:enable'], 301)
    expect((await get(ports.http, HOST, '/x')).headers.location).toBe(`https://${HOST}:${ports.https}/x`)
    await expectAfter(['tls:disable'], 200)
  })

  it('refuses deis pull with an explanation in the controller error format', async () => {
    const builds = countBuilds(ctl.store)
    const r = await deis(['pull', 'nginx:1.13', '--app', APP])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('The local controller runs apps from source and cannot run container images')
    expect(countBuilds(ctl.store)).toBe(builds)
  })

  it('brings the app back after a controller restart', async () => {
    const pids = Object.values(ctl.runtime!.scheduler.pids(APP))
    await ctl.close()
    await until(() => pids.every(pid => !alive(pid)), 'the processes to stop with the controller')
    await start()
    profile()
    await until(async () => (await get(ports.http, HOST)).status === 200, 'the app to come back')
    expect((await get(ports.http, HOST)).body).toMatch(/^Powered by Deis\nRelease v4 on /)
    await until(() => ctl.runtime!.pods(APP).length === 3 && ctl.runtime!.pods(APP).every(p => p.state === 'up'), 'three processes')
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'again'], {cwd: repo})
    const push = await gitWithKey(repo, join(work, 'alice'), ['push', 'deis', 'main'])
    expect(push.exitCode).toBe(0)
    expect(push.stderr).toContain(`remote:        Done, ${APP}:v5 deployed to Deis`)
    expect(readFileSync(join(data, 'repos', `${APP}.git`, 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n')
  })

  it('rejects a push whose build fails, and keeps the running release', async () => {
    const releases = () => countReleases(ctl.store)
    const before = releases()
    writeFileSync(join(repo, 'Procfile'), 'Web: node server.js\n')
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-am', 'broken'], {cwd: repo})
    const push = await gitWithKey(repo, join(work, 'alice'), ['push', 'deis', 'main'])
    expect(push.exitCode).not.toBe(0)
    expect(push.stderr).toContain('remote: -----> Build failed: Procfile line "Web: node server.js" is not "<type>: <command>" with a lowercase type')
    expect(push.stderr).toContain('! [remote rejected] main -> main (pre-receive hook declined)')
    expect(releases()).toBe(before)
    expect((await get(ports.http, HOST)).body).toMatch(/^Powered by Deis\nRelease v5 on /)
  })

  it('shows process output live in logs -f', async () => {
    const follow = spawn(process.execPath, [BIN, 'logs', '-f', '--app', APP], {cwd: repo, env: {...process.env, HOME: home, DEIS_KEYCHAIN: 'off'}})
    let out = ''
    follow.stdout.setEncoding('utf8').on('data', d => (out += d))
    try {
      await until(() => out.includes('listening on port'), 'the first lines')
      const seen = out.length
      expect(await deis(['ps:restart', 'web', '--app', APP])).toMatchObject({exitCode: 0})
      expect(ctl.runtime!.pods(APP).map(p => p.state)).toEqual(['up', 'up', 'up'])
      await until(() => (out.slice(seen).match(/ example-app\[web\.v\d+\.\w{5}\]: listening on port \d+\n/g) ?? []).length === 3, 'the restarted processes to log')
    } finally {
      follow.kill('SIGKILL')
    }
  })

  it('keeps the old release serving when a new one never becomes ready, and records it as failed', async () => {
    const before = (await get(ports.http, HOST)).body.split(' on ')[0]!
    const version = Number(/Release v(\d+)/.exec(before)![1])
    const answers: string[] = []
    let rolling = true
    const watch = (async () => {
      while (rolling) {
        const r = await get(ports.http, HOST)
        answers.push(`${r.status} ${r.body.split(' on ')[0]}`)
      }
    })()
    const set = await deis([
      'healthchecks:set',
      'readiness',
      'exec',
      '--initial-delay-timeout',
      '0',
      '--period-seconds',
      '1',
      '--app',
      APP,
      '--',
      'test',
      '-e',
      '/nonexistent',
    ])
    rolling = false
    await watch
    expect(set.exitCode).toBe(1)
    expect(set.stderr).toMatch(
      new RegExp(
        `Error: example-app-web-\\d{10}-\\w{5} did not pass its readiness probe within 8s; v${version} keeps serving, see "deis logs -a ${APP}" and fix the release before deploying again\n$`,
      ),
    )
    expect(answers.length).toBeGreaterThan(0)
    expect(new Set(answers)).toEqual(new Set([`200 ${before}`]))
    const list = await deis(['releases', '--app', APP])
    expect(list.stdout).toMatch(new RegExp(`v${version + 1}\\s.*alice deployed a config that failed`))
    const failed = JSON.parse((await api('GET', `/v2/apps/${APP}/releases/v${version + 1}/`)).body!) as {failed: boolean; exception: string}
    expect(failed).toMatchObject({failed: true, exception: expect.stringMatching(/^error: example-app-web-\d{10}-\w{5} did not pass its readiness probe within 8s$/)})
    const logs = await deis(['logs', '--app', APP])
    expect(logs.stdout).toMatch(
      new RegExp(`v${version + 1} was not deployed: example-app-web-\\d{10}-\\w{5} did not pass its readiness probe within 8s; v${version} keeps serving`),
    )
    // the next change builds on the last release that did not fail: no readiness probe
    expect(await deis(['config:set', 'POWERED_BY=later', '--app', APP])).toMatchObject({exitCode: 0})
    expect((await get(ports.http, HOST)).body).toMatch(new RegExp(`^Powered by later\nRelease v${version + 2} on `))
    expect(JSON.parse((await api('GET', `/v2/apps/${APP}/config/`)).body!).healthcheck).toEqual({})
  })

  it('stops the processes and removes the repository of a destroyed app', async () => {
    const pids = Object.values(ctl.runtime!.scheduler.pids(APP))
    expect(await deis(['apps:destroy', '--app', APP, '--confirm', APP])).toMatchObject({exitCode: 0})
    expect(pids.filter(pid => alive(pid))).toEqual([])
    expect(existsSync(join(data, 'repos', `${APP}.git`))).toBe(false)
    expect(existsSync(join(data, 'slugs', APP))).toBe(false)
    expect((await get(ports.http, HOST)).status).toBe(404)
  })
})
