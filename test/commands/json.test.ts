import {execFileSync} from 'node:child_process'
import {userByToken} from '../../src/controller/model/tokens.js'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {gitRepo} from './git/repo.js'
import {useTestController} from '../helpers/controller.js'
import {runDeis} from '../helpers/run.js'

const A = ['--app', 'json-app']
const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH'

// Commands with --json that this file does not run, and where they are run instead.
const ELSEWHERE: Record<string, string> = {
  'local:start': 'starts a daemon: test/commands/local',
  'local:status': 'needs the daemon: test/commands/local',
  'local:stop': 'needs the daemon: test/commands/local',
  'local:quickstart': 'deploys a sample app end to end: test/e2e/quickstart.test.ts',
  'apps:copy': 'needs two controllers with builders: test/e2e/runtime/copy.test.ts parses its --json',
  'git:clone': 'needs a builder with a pushed app: test/e2e/runtime/copy.test.ts parses its --json',
}

/** Every command that takes --json, in an order that leaves each one something to act on. */
function steps(url: string, files: {crt: string; key: string; pub: string}): Array<[string, string[]]> {
  return [
    ['auth:register', [url, '--username', 'carol', '--password', 'carolpw', '--email', 'carol@example.com', '-c', 'carol']],
    ['auth:login', [url, '--username', 'bob', '--password', 'bobpw', '-c', 'bob']],
    ['auth:whoami', []],
    ['version', []],
    ['shortcuts', []],
    ['users', []],
    ['apps:create', ['json-app', '--no-remote']],
    ['apps', []],
    ['apps:info', A],
    ['builds:create', ['example/image:1', '--procfile', 'web: ./server', ...A]],
    ['builds', A],
    ['ps:scale', ['web=2', ...A]],
    ['ps', A],
    ['ps:restart', A],
    ['ps:wait', A],
    ['apps:run', [...A, '--', 'echo', 'hi']],
    ['apps:logs', A],
    ['config:set', ['A=1', 'B=2', 'PORT=5000', ...A]],
    ['config', A],
    ['config:get', ['A', ...A]],
    ['config:unset', ['B', ...A]],
    ['config:pull', ['--path', '.env', ...A]],
    ['config:push', ['--path', 'pushed.env', ...A]],
    ['limits:set', ['web=512M', ...A]],
    ['limits', A],
    ['limits:unset', ['web', ...A]],
    ['tags:set', [`kubernetes.io/hostname=${hostname()}`, ...A]],
    ['tags', A],
    ['tags:unset', ['kubernetes.io/hostname', ...A]],
    ['labels:set', ['team=frontend', ...A]],
    ['labels', A],
    ['labels:unset', ['team', ...A]],
    ['registry:set', ['username=bot', 'password=s3cret', ...A]],
    ['registry', A],
    ['registry:unset', ['username', 'password', ...A]],
    ['timeouts:set', ['web=30', ...A]],
    ['timeouts', A],
    ['timeouts:unset', ['web', ...A]],
    ['healthchecks:set', ['liveness', 'httpGet', '5000', '--type', 'web', ...A]],
    ['healthchecks', A],
    ['healthchecks:unset', ['liveness', '--type', 'web', ...A]],
    ['autoscale:set', ['web', '--min', '1', '--max', '3', '--cpu-percent', '50', ...A]],
    ['autoscale', A],
    ['autoscale:unset', ['web', ...A]],
    ['domains:add', ['www.example.com', ...A]],
    ['domains', A],
    ['certs:add', ['example-com', files.crt, files.key]],
    ['certs', []],
    ['certs:info', ['example-com']],
    ['certs:attach', ['example-com', 'www.example.com']],
    ['certs:detach', ['example-com', 'www.example.com']],
    ['certs:remove', ['example-com']],
    ['domains:remove', ['www.example.com', ...A]],
    ['maintenance:on', A],
    ['maintenance', A],
    ['maintenance:off', A],
    ['routing:disable', A],
    ['routing', A],
    ['routing:enable', A],
    ['tls:enable', A],
    ['tls', A],
    ['tls:disable', A],
    ['whitelist:add', ['10.0.0.1', ...A]],
    ['whitelist', A],
    ['whitelist:remove', ['10.0.0.1', ...A]],
    ['services:add', ['--type', 'web', '--route', '/api', ...A]],
    ['services', A],
    ['services:remove', ['web', ...A]],
    ['perms:create', ['bob', ...A]],
    ['perms', A],
    ['perms:delete', ['bob', ...A]],
    ['keys:add', ['json-key', files.pub]],
    ['keys', []],
    ['keys:remove', ['json-key']],
    ['releases', A],
    ['releases:info', ['v2', ...A]],
    ['releases:rollback', A],
    ['apps:open', A],
    ['git:remote', A],
    ['git:remove', A],
    ['apps:transfer', ['bob', ...A]],
    ['apps:destroy', [...A, '--confirm', 'json-app']],
    ['auth:regenerate', ['-c', 'bob']],
    ['auth:passwd', ['-c', 'bob', '--password', 'bobpw', '--new-password', 'bobpw2']],
    ['auth:cancel', ['-c', 'carol', '--username', 'carol', '--password', 'carolpw', '--yes']],
    ['auth:logout', ['-c', 'bob']],
  ]
}

describe('--json on every command that changes or returns something', () => {
  const ctl = useTestController({users: ['alice', 'bob'], options: {registrationMode: 'enabled'}})

  it('covers every command of the manifest that has --json, and each prints one JSON value on stdout', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {commands: Record<string, {flags: Record<string, unknown>}>}
    const withJson = Object.entries(manifest.commands)
      .filter(([, c]) => 'json' in c.flags)
      .map(([id]) => id)
      .sort()
    const repo = gitRepo()
    try {
      const files = {crt: join(repo.dir, 'example.crt'), key: join(repo.dir, 'example.key'), pub: join(repo.dir, 'id.pub')}
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.key, '-out', files.crt, '-days', '30', '-subj', '/CN=www.example.com'], {
        stdio: 'ignore',
      })
      writeFileSync(files.pub, `${ED}\n`)
      writeFileSync(join(repo.dir, 'pushed.env'), 'PUSHED=1\n')
      mkdirSync(join(repo.dir, 'bin'))
      const list = steps(ctl.url, files)
      expect([...new Set(list.map(([id]) => id)), ...Object.keys(ELSEWHERE)].sort()).toEqual(withJson)
      for (const [id, args] of list) {
        const r = await runDeis(ctl, [id, '--json', ...args], {cwd: repo.dir, env: {PATH: `${join(repo.dir, 'bin')}:/usr/bin:/bin`}})
        expect({id, exitCode: r.exitCode, out: r.exitCode === 0 ? '' : r.stdout + r.stderr}).toEqual({id, exitCode: 0, out: ''})
        let value: unknown
        expect(() => (value = JSON.parse(r.stdout)), `${id}: ${r.stdout}`).not.toThrow()
        expect(typeof value, id).toBe('object')
        expect(value, id).not.toBeNull()
        // tokens are kept as hashes: any token-shaped string in an answer is checked against the controller
        if (id !== 'apps:run') for (const [t] of r.stdout.matchAll(/[0-9a-f]{40}/g)) expect(userByToken(ctl.store, t), `${id} printed a token`).toBeUndefined()
      }
    } finally {
      repo.close()
    }
  }, 300_000)
})
