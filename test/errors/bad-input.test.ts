import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {selfSignedCert} from '../api/servers.js'
import {startTestController, type TestController} from '../helpers/controller.js'
import {callApi} from '../helpers/fetch-api.js'
import {runDeis} from '../helpers/run.js'

/** One bad input: the arguments, the exit code it must give, and optionally stdin. */
type Case = {args: string[]; exit: 1 | 2 | 4; input?: string}

const A = ['-a', 'example-app']

/** Every command that takes arguments, given what it must refuse. */
const CASES: Case[] = [
  // -a with characters an app id cannot have, on commands of every kind
  ...['apps:info', 'config:list', 'ps:list', 'releases:list', 'domains:list', 'labels:list', 'maintenance:on', 'routing:disable', 'tls:enable', 'limits:list'].map(cmd => ({
    args: [cmd, '-a', 'a/b'],
    exit: 2 as const,
  })),
  {args: ['config:set', 'K=V', '-a', 'Bad_App'], exit: 2},
  {args: ['apps:destroy', '-a', 'a b', '--confirm', 'a b'], exit: 2},
  // apps
  {args: ['apps:create', 'Bad_Name', '--no-remote'], exit: 2},
  {args: ['apps:create', 'example-app', '--no-remote'], exit: 1},
  {args: ['apps:create', '-x'], exit: 2},
  {args: ['apps:info', '-a', 'no-such-app'], exit: 1},
  {args: ['apps:destroy', '-a', 'no-such-app', '--confirm', 'no-such-app'], exit: 1},
  {args: ['apps:transfer', ...A], exit: 2},
  {args: ['apps:transfer', 'nobody', ...A], exit: 1},
  {args: ['apps:list', '--limit', 'abc'], exit: 2},
  {args: ['apps:list', '--limit', '0'], exit: 2},
  {args: ['apps:logs', '--lines', 'x', ...A], exit: 2},
  {args: ['apps:run', ...A], exit: 2},
  {args: ['apps:run', '-a', 'no-such-app', '--', 'true'], exit: 1},
  // config
  {args: ['config:set', ...A], exit: 2},
  {args: ['config:set', 'NOEQUALS', ...A], exit: 2},
  {args: ['config:set', '1KEY=v', ...A], exit: 2},
  {args: ['config:set', 'BAD-KEY=v', ...A], exit: 2},
  {args: ['config:set', 'PORT=abc', ...A], exit: 1},
  {args: ['config:set', 'PORT=70000', ...A], exit: 1},
  {args: ['config:unset', ...A], exit: 2},
  {args: ['config:unset', 'NOT_SET', ...A], exit: 1},
  {args: ['config:push', '--path', 'bad.env', ...A], exit: 2},
  {args: ['config:push', '--path', 'no-such.env', ...A], exit: 2},
  {args: ['config:push', '--path', 'dir', ...A], exit: 2},
  {args: ['config:push', '--path', 'empty.env', ...A], exit: 2},
  {args: ['config:push', ...A], exit: 2, input: 'GOOD=1\nthis is not a pair\n'},
  {args: ['config:pull', '--path', 'existing.env', ...A], exit: 1},
  {args: ['config:pull', '--path', 'dir/', '--overwrite', ...A], exit: 1},
  // autoscale
  {args: ['autoscale:set', 'web', '--min', '5', '--max', '1', '--cpu-percent', '50', ...A], exit: 2},
  {args: ['autoscale:set', 'web', '--min', '0', '--max', '3', '--cpu-percent', '50', ...A], exit: 2},
  {args: ['autoscale:set', 'web', '--min', '1', '--max', '3', '--cpu-percent', '0', ...A], exit: 2},
  {args: ['autoscale:set', 'web', '--min', '1', '--max', '3', '--cpu-percent', '101', ...A], exit: 2},
  {args: ['autoscale:set', 'web', '--min', 'x', '--max', '3', '--cpu-percent', '50', ...A], exit: 2},
  {args: ['autoscale:set', 'web', ...A], exit: 2},
  {args: ['autoscale:set', 'Web_1', '--min', '1', '--max', '3', '--cpu-percent', '50', ...A], exit: 2},
  {args: ['autoscale:unset', ...A], exit: 2},
  {args: ['autoscale:unset', 'worker', ...A], exit: 1},
  // healthchecks
  {args: ['healthchecks:set', 'liveness', 'httpGet', '99999', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'httpGet', '0', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'httpGet', 'abc', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'httpGet', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'tcpSocket', '65536', ...A], exit: 2},
  {args: ['healthchecks:set', 'sideness', 'httpGet', '80', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'udp', '80', ...A], exit: 2},
  {args: ['healthchecks:set', 'readiness', 'exec', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'httpGet', '80', '--headers', 'nocolon', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'httpGet', '80', '--period-seconds', '0', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'httpGet', '80', '--failure-threshold', '-1', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'httpGet', '80', '--path', 'no-slash', ...A], exit: 2},
  {args: ['healthchecks:set', 'liveness', 'httpGet', '80', '--type', 'Bad_Type', ...A], exit: 2},
  {args: ['healthchecks:set', ...A], exit: 2},
  {args: ['healthchecks:unset', ...A], exit: 2},
  {args: ['healthchecks:unset', 'sideness', ...A], exit: 2},
  // labels and tags
  {args: ['labels:set', 'x y=1', ...A], exit: 2},
  {args: ['labels:set', 'novalue', ...A], exit: 2},
  {args: ['labels:set', '=v', ...A], exit: 2},
  {args: ['labels:set', 'k=', ...A], exit: 2},
  {args: ['labels:set', ...A], exit: 2},
  {args: ['labels:unset', ...A], exit: 2},
  {args: ['labels:unset', 'absent', ...A], exit: 1},
  {args: ['tags:set', 'a b=c', ...A], exit: 2},
  {args: ['tags:set', 'novalue', ...A], exit: 2},
  {args: ['tags:set', ...A], exit: 2},
  {args: ['tags:unset', ...A], exit: 2},
  {args: ['tags:unset', 'absent', ...A], exit: 1},
  // limits
  {args: ['limits:set', 'web=lots', ...A], exit: 2},
  {args: ['limits:set', 'web', ...A], exit: 2},
  {args: ['limits:set', 'Web=1G', ...A], exit: 2},
  {args: ['limits:set', '--cpu', 'web=abc', ...A], exit: 2},
  {args: ['limits:set', ...A], exit: 2},
  {args: ['limits:unset', ...A], exit: 2},
  {args: ['limits:unset', 'web', ...A], exit: 1},
  // registry
  {args: ['registry:set', 'colour=blue', ...A], exit: 2},
  {args: ['registry:set', 'username', ...A], exit: 2},
  {args: ['registry:set', ...A], exit: 2},
  {args: ['registry:set', 'username=bob', 'password=pw', ...A], exit: 1},
  {args: ['registry:unset', ...A], exit: 2},
  {args: ['registry:unset', 'colour', ...A], exit: 2},
  // ps
  {args: ['ps:scale', ...A], exit: 2},
  {args: ['ps:scale', 'web', ...A], exit: 2},
  {args: ['ps:scale', 'web=abc', ...A], exit: 2},
  {args: ['ps:scale', 'web=-1', ...A], exit: 2},
  {args: ['ps:scale', 'Web=1', ...A], exit: 2},
  {args: ['ps:scale', 'web-1', ...A], exit: 2},
  {args: ['ps:scale', 'worker=1', ...A], exit: 1},
  {args: ['ps:restart', 'web.99', ...A], exit: 2},
  {args: ['ps:restart', 'Web', ...A], exit: 2},
  {args: ['ps:restart', 'a/b', ...A], exit: 2},
  // releases
  {args: ['releases:info', 'abc', ...A], exit: 2},
  {args: ['releases:info', 'v999', ...A], exit: 1},
  {args: ['releases:info', ...A], exit: 2},
  {args: ['releases:rollback', 'vx', ...A], exit: 2},
  {args: ['releases:rollback', 'v999', ...A], exit: 1},
  {args: ['releases:list', '--limit', '-3', ...A], exit: 2},
  // builds
  {args: ['builds:create', ...A], exit: 2},
  {args: ['builds:create', 'img', '--procfile', 'not a procfile', ...A], exit: 2},
  {args: ['builds:create', 'img', '--procfile', 'Web: x', ...A], exit: 2},
  {args: ['builds:create', 'img', '--procfile', '', ...A], exit: 2},
  // domains
  {args: ['domains:add', ...A], exit: 2},
  {args: ['domains:add', 'not a domain', ...A], exit: 1},
  {args: ['domains:add', 'a..b', ...A], exit: 1},
  {args: ['domains:add', '123', ...A], exit: 1},
  {args: ['domains:add', 'taken.example.com', ...A], exit: 1},
  {args: ['domains:remove', 'absent.example.com', ...A], exit: 1},
  {args: ['domains:remove', ...A], exit: 2},
  // whitelist
  {args: ['whitelist:add', ...A], exit: 2},
  {args: ['whitelist:add', 'not-an-ip', ...A], exit: 1},
  {args: ['whitelist:add', '10.0.0.300', ...A], exit: 1},
  {args: ['whitelist:remove', '10.9.9.9', ...A], exit: 1},
  {args: ['whitelist:remove', ...A], exit: 2},
  // certs
  {args: ['certs:add'], exit: 2},
  {args: ['certs:add', 'c1', 'notpem.crt', 'good.key'], exit: 2},
  {args: ['certs:add', 'c1', 'good.crt', 'notpem.key'], exit: 2},
  {args: ['certs:add', 'c1', 'good.crt', 'other.key'], exit: 2},
  {args: ['certs:add', 'c1', 'good.key', 'good.crt'], exit: 2},
  {args: ['certs:add', 'c1', 'missing.crt', 'good.key'], exit: 2},
  {args: ['certs:add', 'c1', 'dir', 'good.key'], exit: 2},
  {args: ['certs:add', 'Bad_Name', 'good.crt', 'good.key'], exit: 2},
  {args: ['certs:info', 'absent'], exit: 1},
  {args: ['certs:info'], exit: 2},
  {args: ['certs:remove', 'absent'], exit: 1},
  {args: ['certs:attach', 'absent', 'example-app.example.com'], exit: 1},
  {args: ['certs:attach', 'absent'], exit: 2},
  {args: ['certs:detach', 'absent', 'example-app.example.com'], exit: 1},
  {args: ['certs:list', '--limit', 'x'], exit: 2},
  // keys
  {args: ['keys:add', 'k1', 'missing.pub'], exit: 1},
  {args: ['keys:add', 'k1', 'garbage.pub'], exit: 1},
  {args: ['keys:add', 'k1', 'dir'], exit: 1},
  {args: ['keys:remove', 'absent'], exit: 1},
  {args: ['keys:remove'], exit: 2},
  // perms
  {args: ['perms:create', ...A], exit: 2},
  {args: ['perms:create', 'nobody', ...A], exit: 1},
  {args: ['perms:delete', 'bob', ...A], exit: 1},
  {args: ['perms:create', 'bob', '--admin', ...A], exit: 2},
  {args: ['perms:delete', 'nobody', '--admin'], exit: 1},
  // auth and users
  {args: ['auth:login'], exit: 2},
  {args: ['auth:login', 'not a url', '--username', 'a', '--password', 'b'], exit: 2},
  {args: ['auth:login', 'CONTROLLER', '--username', 'alice', '--password', 'wrong'], exit: 1},
  {args: ['auth:login', 'CONTROLLER', '--username', 'alice'], exit: 2},
  {args: ['auth:register', 'CONTROLLER', '--username', 'alice', '--password', 'pw', '--email', 'a@example.com'], exit: 1},
  {args: ['auth:register', 'CONTROLLER', '--username', 'x y', '--password', 'pw', '--email', 'a@example.com'], exit: 1},
  {args: ['auth:register', 'CONTROLLER', '--username', 'newbie', '--password', 'pw', '--email', 'not-an-email'], exit: 1},
  {args: ['auth:passwd', '--username', 'nobody', '--new-password', 'x'], exit: 1},
  {args: ['auth:regenerate', '--username', 'nobody'], exit: 1},
  {args: ['auth:cancel', '--username', 'nobody', '--yes'], exit: 1},
  {args: ['users:list', '--limit', 'none'], exit: 2},
  // git
  {args: ['git:remote', '-a', 'no-such-app'], exit: 1},
  {args: ['git:remote', '-r', '', ...A], exit: 1},
  // local
  {args: ['local:start', '--port', 'abc'], exit: 2},
  {args: ['local:start', '--port', '70000'], exit: 2},
]

/** What the controller holds, read through its API as the admin: equal before and after every bad input. */
async function snapshot(ctl: TestController): Promise<string> {
  const paths = [
    '/v2/apps/',
    '/v2/apps/example-app/',
    '/v2/apps/example-app/config/',
    '/v2/apps/example-app/settings/',
    '/v2/apps/example-app/releases/',
    '/v2/apps/example-app/domains/',
    '/v2/apps/example-app/perms/',
    '/v2/apps/example-app/tls/',
    '/v2/apps/example-app/builds/',
    '/v2/certs/',
    '/v2/keys/',
    '/v2/users/',
    '/v2/admin/perms/',
  ]
  const answers = await Promise.all(paths.map(async p => [p, await callApi(ctl, 'GET', p)] as const))
  return JSON.stringify(answers)
}

describe('bad input to every command that takes arguments', () => {
  let ctl: TestController
  let dir: string
  let ran = 0

  beforeAll(async () => {
    ctl = await startTestController({users: ['alice', 'bob'], apps: ['example-app', 'other-owner-app']})
    dir = mkdtempSync(join(tmpdir(), 'deis-bad-input-'))
    mkdirSync(join(dir, 'dir'))
    writeFileSync(join(dir, 'bad.env'), 'GOOD=1\nnot a pair\nK2="unterminated\n-BAD=2\nOK=2\n')
    writeFileSync(join(dir, 'empty.env'), '# nothing here\n\n')
    writeFileSync(join(dir, 'existing.env'), 'LOCAL=1\n')
    writeFileSync(join(dir, 'notpem.crt'), 'this is not a certificate\n')
    writeFileSync(join(dir, 'notpem.key'), 'this is not a key\n')
    writeFileSync(join(dir, 'garbage.pub'), 'this is not an ssh key\n')
    const good = selfSignedCert()
    const other = selfSignedCert()
    writeFileSync(join(dir, 'good.crt'), good.cert)
    writeFileSync(join(dir, 'good.key'), good.key)
    writeFileSync(join(dir, 'other.key'), other.key)
    for (const [method, path, body] of [
      ['POST', '/v2/apps/example-app/config/', {values: {FOO: 'bar'}}],
      ['POST', '/v2/apps/example-app/domains/', {domain: 'example-app.example.com'}],
      ['POST', '/v2/apps/other-owner-app/domains/', {domain: 'taken.example.com'}],
      ['POST', '/v2/apps/example-app/settings/', {label: {team: 'core'}}],
    ] as const) {
      expect((await callApi(ctl, method, path, body)).status).toBeLessThan(300)
    }
  })
  afterAll(async () => {
    console.log(`bad-input: ran ${ran} cases`)
    await ctl?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it.each(CASES.map(c => [c.args.join(' '), c] as const))('%s', async (_name, c) => {
    const args = c.args.map(a => (a === 'CONTROLLER' ? ctl.url : a))
    const before = await snapshot(ctl)
    const r = await runDeis(ctl, args, {cwd: dir, input: c.input ?? '', timeoutMs: 30_000})
    ran++
    expect({stdout: r.stdout, exit: r.exitCode}).toEqual({stdout: '', exit: c.exit})
    // progress lines (`Running 'x'...`, `... but first, coffee!`) may come first; the error is one line,
    // `Error: <what>; <how to fix>`, possibly after a `Doing something... ` prefix
    expect(r.stderr).toMatch(/^(?:[^\n]*(?:\.\.\.|!)\n)*(?:[^\n]*\.\.\. )?Error: [^\n]+; [^\n]+\n$/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(await snapshot(ctl)).toBe(before)
  })
})
