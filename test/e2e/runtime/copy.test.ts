import {execFile, execFileSync} from 'node:child_process'
import {promisify} from 'node:util'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createController, type Controller} from '../../../src/controller/server.js'
import {appIds, findApp} from '../../../src/controller/model/apps.js'
import {countReleases} from '../../../src/controller/model/releases.js'
import {runDeis} from '../../helpers/run.js'
import {get, SAMPLE, selfSigned, until, userWithToken} from './helpers.js'

const APP = 'example-app'

type Side = {ctl: Controller; data: string; builder: number; http: number}

/** A local controller with its runtime (builder, router, processes) on port 0 everywhere, in its own data dir. */
async function startSide(): Promise<Side> {
  const data = mkdtempSync(join(tmpdir(), 'deis-copy-data-'))
  const ctl = await createController({
    port: 0,
    dataDir: data,
    nodeLabels: {zone: 'eu'},
    runtime: {dataDir: data, builderPort: 0, httpPort: 0, httpsPort: 0, graceMs: 2000, readyTimeoutMs: 15_000},
  })
  const a = ctl.runtime!.addresses()
  return {ctl, data, builder: Number(a.builder.split(':').pop()), http: Number(a.router.split(':').pop())}
}

describe('git:clone from the local builder, and apps:copy between two local controllers', () => {
  let a: Side
  let b: Side
  let home: string
  let work: string
  let repo: string
  let sha: string
  const ssh = (key: string) => ({
    GIT_SSH_COMMAND: `ssh -i ${join(work, key)} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`,
  })
  const deis = (args: string[], opts: {cwd?: string; key?: string} = {}) => runDeis(home, args, {cwd: opts.cwd ?? repo, env: ssh(opts.key ?? 'alice'), timeoutMs: 120_000})
  const profile = (name: string, side: Side, user: string, token: string) =>
    writeFileSync(
      join(home, '.deis', `${name}.json`),
      JSON.stringify({username: user, ssl_verify: true, controller: side.ctl.url, token, response_limit: 0, builder: `ssh://127.0.0.1:${side.builder}`}),
      {mode: 0o600},
    )

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'deis-copy-home-'))
    work = mkdtempSync(join(tmpdir(), 'deis-copy-work-'))
    a = await startSide()
    b = await startSide()
    mkdirSync(join(home, '.deis'), {recursive: true, mode: 0o700})
    profile('client', a, 'alice', await userWithToken(a.ctl.store, {username: 'alice', password: 'alicepw', email: 'alice@example.com', is_superuser: true}))
    profile('bob', a, 'bob', await userWithToken(a.ctl.store, {username: 'bob', password: 'bobpw', email: 'bob@example.com', is_superuser: false}))
    profile('cluster', b, 'alice', await userWithToken(b.ctl.store, {username: 'alice', password: 'alicepw', email: 'alice@example.com', is_superuser: true}))
    for (const name of ['alice', 'bob']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@laptop`, '-f', join(work, name)])
    repo = join(work, 'hello-node')
    cpSync(SAMPLE, repo, {recursive: true})
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['add', '.'],
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'hello'],
    ])
      execFileSync('git', args, {cwd: repo})
    sha = execFileSync('git', ['rev-parse', 'HEAD'], {cwd: repo, encoding: 'utf8'}).trim()
    for (const args of [
      ['keys:add', join(work, 'alice.pub')],
      ['keys:add', join(work, 'alice.pub'), '-c', 'cluster'],
      ['keys:add', join(work, 'bob.pub'), '-c', 'bob'],
      ['apps:create', APP],
      ['config:set', 'POWERED_BY=the copy', 'GREETING=hi', '--app', APP],
      ['tags:set', 'zone=eu', '--app', APP],
      ['labels:set', 'team=web', '--app', APP],
      ['autoscale:set', 'web', '--min', '1', '--max', '3', '--cpu-percent', '60', '--app', APP],
      ['healthchecks:set', 'liveness', 'exec', '--app', APP, '--', 'true'],
    ]) {
      expect(await deis(args), args.join(' ')).toMatchObject({exitCode: 0})
    }
    // not execFileSync: the controllers answering the push run in this process
    await promisify(execFile)('git', ['push', '-q', 'deis', 'main'], {cwd: repo, env: {...process.env, ...ssh('alice')}})
    await until(async () => (await get(a.http, `${APP}.localhost`)).body.startsWith('Powered by the copy'), 'the pushed app to answer on A', 60_000)
    expect(await deis(['ps:scale', 'web=2', '--app', APP])).toMatchObject({exitCode: 0})
  }, 180_000)
  afterAll(async () => {
    await a?.ctl.close()
    await b?.ctl.close()
    for (const d of [home, work, a?.data, b?.data]) if (d) rmSync(d, {recursive: true, force: true})
  })

  it('git:clone gives the owner the pushed commit with the deis remote; a stranger is refused until made a collaborator', async () => {
    const cloned = await deis(['git:clone', '-a', APP], {cwd: work})
    expect(cloned).toMatchObject({exitCode: 0, stdout: ''})
    const dir = join(work, APP)
    const url = `ssh://git@127.0.0.1:${a.builder}/${APP}.git`
    expect(cloned.stderr).toBe(`Cloned ${APP} into ${dir}; git remote deis points at ${url}.\n`)
    expect(execFileSync('git', ['rev-parse', 'HEAD'], {cwd: dir, encoding: 'utf8'}).trim()).toBe(sha)
    expect(execFileSync('git', ['remote', 'get-url', 'deis'], {cwd: dir, encoding: 'utf8'}).trim()).toBe(url)
    expect(readFileSync(join(dir, 'Procfile'), 'utf8')).toBe(readFileSync(join(repo, 'Procfile'), 'utf8'))

    const stranger = await deis(['git:clone', '-a', APP, 'bobs', '-c', 'bob', '--json'], {cwd: work, key: 'bob'})
    expect(stranger.exitCode).toBe(1)
    expect(JSON.parse(stranger.stdout)).toEqual({
      error: {message: `git clone of ${url} failed: user "bob" may not clone "${APP}": ask its owner to run "deis perms:create bob --app ${APP}"`, exit: 1},
    })
    expect(existsSync(join(work, 'bobs'))).toBe(false)
    expect(await deis(['perms:create', 'bob', '--app', APP])).toMatchObject({exitCode: 0})
    const collaborator = await deis(['git:clone', '-a', APP, 'bobs', '-c', 'bob', '--json'], {cwd: work, key: 'bob'})
    expect(collaborator.exitCode).toBe(0)
    expect(JSON.parse(collaborator.stdout)).toEqual({app: APP, dir: join(work, 'bobs'), remote: 'deis', url})
    expect(execFileSync('git', ['rev-parse', 'HEAD'], {cwd: join(work, 'bobs'), encoding: 'utf8'}).trim()).toBe(sha)
  }, 120_000)

  it('git:clone into a directory that is not empty is refused before git runs', async () => {
    expect(await deis(['git:clone', '-a', APP, 'hello-node'], {cwd: work})).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `Error: ${repo} already exists and is not empty; name another directory: deis git:clone --app ${APP} <dir>\n`,
    })
  })

  it('apps:copy recreates the app on the other controller and its copy answers there with the same config', async () => {
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
    // run outside the repository: the commit comes from A's builder
    const copied = await deis(['apps:copy', APP, '--to', 'cluster', '--domains'], {cwd: work})
    expect(copied.exitCode, copied.stderr).toBe(0)
    expect(copied.stdout).toBe(
      [
        `Copied ${APP} to ${APP} on cluster (${b.ctl.url}):`,
        `  app: ${APP} created`,
        '  config: GREETING, POWERED_BY',
        '  tags: zone',
        '  healthchecks: web/cmd',
        '  autoscale: web',
        '  labels: team',
        '  domains: www.example.test',
        `  code: ${sha.slice(0, 7)} built and deployed`,
        '  processes: web=2',
        'Not copied:',
        '  certificate www-cert (www.example.test): its private key never leaves a controller; deis certs:add www-cert <cert.pem> <key.pem> -c cluster, then deis certs:attach www-cert <domain> -c cluster',
        '',
      ].join('\n'),
    )
    expect(copied.stderr).toContain(
      `Fetching ${sha.slice(0, 7)} from ssh://git@127.0.0.1:${a.builder}/${APP}.git, then pushing it to ssh://git@127.0.0.1:${b.builder}/${APP}.git...`,
    )
    const answer = await get(b.http, `${APP}.localhost`)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatch(/^Powered by the copy\n/)
    expect((await get(b.http, 'www.example.test')).body).toMatch(/^Powered by the copy\n/)
    const config = async (side: string) =>
      JSON.parse((await deis(['config', '--app', APP, '--json', ...(side === 'b' ? ['-c', 'cluster'] : [])])).stdout) as Record<string, unknown>
    const [fromA, fromB] = [await config('a'), await config('b')]
    for (const k of ['values', 'tags', 'healthcheck', 'memory', 'cpu']) expect(fromB[k], k).toEqual(fromA[k])
    const settings = JSON.parse((await deis(['labels', '--app', APP, '--json', '-c', 'cluster'])).stdout) as unknown
    expect(JSON.stringify(settings)).toContain('team')
    expect(findApp(b.ctl.store, APP)).toMatchObject({owner: 'alice', structure: {web: 2}})
  }, 180_000)

  it('apps:copy refuses to overwrite an app on the target without --force, changing nothing there', async () => {
    const before = countReleases(b.ctl.store)
    const again = await deis(['apps:copy', APP, '--to', 'cluster'])
    expect(again).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `Error: app ${APP} already exists on cluster (${b.ctl.url}); nothing was changed there; pass --force to overwrite its settings and code, or --as <new-name> to copy under another name\n`,
    })
    expect(countReleases(b.ctl.store)).toBe(before)
  })

  it('apps:copy --as from the repository pushes the local commit, and --json reports it', async () => {
    const r = await deis(['apps:copy', APP, '--to', 'cluster', '--as', 'example-two', '--json'])
    expect(r.exitCode, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as {to: unknown; code: unknown; created: boolean; not_copied: Array<{what: string}>}
    expect(report).toMatchObject({to: {profile: 'cluster', controller: b.ctl.url, app: 'example-two'}, code: {sha, from: 'repository'}, created: true})
    expect(report.not_copied.map(n => n.what)).toEqual(['domains (www.example.test)', 'certificate www-cert (www.example.test)'])
    expect((await get(b.http, 'example-two.localhost')).body).toMatch(/^Powered by the copy\n/)
  }, 180_000)

  it('apps:copy to an unknown profile, or onto itself, is a usage error that changes nothing', async () => {
    const apps = () => [a, b].map(side => appIds(side.ctl.store))
    const before = JSON.stringify(apps())
    expect(await deis(['apps:copy', APP, '--to', 'nowhere'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `Error: no profile "nowhere" (${join(home, '.deis', 'nowhere.json')}); log in to that controller first: deis login <controller> -c nowhere\n`,
    })
    expect(await deis(['apps:copy', APP, '--to', 'client'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `Error: client is the controller ${APP} is on; name the copy with --as <new-name>, or copy to another profile\n`,
    })
    expect(JSON.stringify(apps())).toBe(before)
  })

  it("apps:copy --force makes an existing copy's config exactly the source's", async () => {
    expect(await deis(['config:unset', 'GREETING', '--app', APP])).toMatchObject({exitCode: 0})
    expect(await deis(['config:set', 'EXTRA=only-here', '--app', 'example-two', '-c', 'cluster'])).toMatchObject({exitCode: 0})
    const r = await deis(['apps:copy', APP, '--to', 'cluster', '--as', 'example-two', '--force', '--json'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      created: false,
      code: {sha, from: 'target'},
      copied: expect.arrayContaining([`code: ${sha.slice(0, 7)} already deployed there`]),
    })
    const values = JSON.parse((await deis(['config', '--app', 'example-two', '--json', '-c', 'cluster'])).stdout) as {values: Record<string, string>}
    expect(values.values).toEqual({POWERED_BY: 'the copy'})
    expect((await get(b.http, 'example-two.localhost')).body).toMatch(/^Powered by the copy\n/)
  }, 180_000)

  it('apps:copy that fails on the target says what exists there', async () => {
    // the target builder refuses every push once alice's key is gone from it
    expect(await deis(['keys:remove', 'alice@laptop', '-c', 'cluster'])).toMatchObject({exitCode: 0})
    const r = await deis(['apps:copy', APP, '--to', 'cluster', '--as', 'example-three'])
    expect(r.exitCode).toBe(1)
    const last = r.stderr.trim().split('\n').at(-1)!
    expect(last).toMatch(
      new RegExp(
        `^Error: apps:copy stopped pushing ${sha.slice(0, 7)} to ssh://git@127\\.0\\.0\\.1:${b.builder}/example-three\\.git: git push of ${sha.slice(0, 7)} to .* failed \\(exit 128\\): its output is above\\. On cluster \\(${b.ctl.url.replace(/[.:/]/g, '\\$&')}\\) app example-three exists there with app: example-three created; config: POWERED_BY; tags: zone; healthchecks: web/cmd; autoscale: web; labels: team; fix the cause and rerun with --force, or remove it with deis apps:destroy -a example-three --confirm example-three -c cluster$`,
      ),
    )
    expect(findApp(b.ctl.store, 'example-three')).toBeDefined()
  }, 120_000)
})
