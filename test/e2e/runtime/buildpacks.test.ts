import {execFileSync, spawn} from 'node:child_process'
import {chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createController, type Controller} from '../../../src/controller/server.js'
import {listReleases as releases} from '../../../src/controller/model/releases.js'
import {runDeis} from '../../helpers/run.js'
import {get, until, userWithToken} from './helpers.js'

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url))
const BUILTIN = fileURLToPath(new URL('../../../src/controller/runtime/buildpacks/builtin/', import.meta.url))
type Pushed = {exitCode: number | null; remote: string[]; sha: string; repo: string}

/** Writes `files` (path -> content) under `dir`; paths under bin/ become executable. */
function write(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), {recursive: true})
    writeFileSync(join(dir, path), content)
    if (path.startsWith('bin/')) chmodSync(join(dir, path), 0o755)
  }
}

function commit(dir: string, message: string): string {
  for (const args of [
    ['add', '-A'],
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', message],
  ])
    execFileSync('git', args, {cwd: dir})
  return execFileSync('git', ['rev-parse', 'HEAD'], {cwd: dir, encoding: 'utf8'}).trim()
}

/** A custom buildpack: its compile shows ENV_DIR, exports ONE_SAYS, leaves a .profile.d script; its release names web. */
const BP_ONE = {
  'bin/detect': '#!/usr/bin/env bash\necho "One"\n',
  'bin/compile': [
    '#!/usr/bin/env bash',
    'set -e',
    'echo "-----> one compiling with GREETING=$(cat "$3/GREETING" 2>/dev/null)"',
    'echo "export ONE_SAYS=exported-by-one" > "$(dirname "$0")/../export"',
    'mkdir -p "$1/.profile.d" && echo "export PROFILE_SAYS=from-profile-d" > "$1/.profile.d/one.sh"',
    '',
  ].join('\n'),
  'bin/release': '#!/usr/bin/env bash\nprintf -- "---\\nconfig_vars:\\n  DEFAULTED: from-release\\ndefault_process_types:\\n  web: node server.js\\n"\n',
}
/** A second buildpack that records what the first one exported. */
const BP_TWO = {
  'bin/detect': '#!/usr/bin/env bash\necho "Two"\n',
  'bin/compile': '#!/usr/bin/env bash\necho "-----> two sees ONE_SAYS=$ONE_SAYS"\necho "$ONE_SAYS" > "$1/one-says.txt"\n',
}
/** An app answering with what the buildpacks left it. */
const ENV_APP = {
  'server.js': [
    "const {existsSync, readFileSync} = require('node:fs')",
    "const said = existsSync('one-says.txt') ? readFileSync('one-says.txt', 'utf8').trim() : '-'",
    "require('node:http').createServer((q, s) => s.end(`profile=${process.env.PROFILE_SAYS} defaulted=${process.env.DEFAULTED} one-says=${said} host=${process.env.HOST}\\n`)).listen(process.env.PORT, process.env.HOST)",
    '',
  ].join('\n'),
}

/** A Python app answering with the interpreter's prefix and whether its own project is installed there. */
const PY_APP = {
  'app.py': [
    'import os, sys',
    'from http.server import BaseHTTPRequestHandler, HTTPServer',
    'from importlib.metadata import PackageNotFoundError, version',
    'try:',
    '    project = version("hello-pyproject")',
    'except PackageNotFoundError:',
    '    project = "-"',
    'class Hello(BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    '        body = f"prefix={sys.prefix} project={project}\\n".encode()',
    '        self.send_response(200)',
    '        self.send_header("Content-Length", str(len(body)))',
    '        self.end_headers()',
    '        self.wfile.write(body)',
    'HTTPServer((os.environ["HOST"], int(os.environ["PORT"])), Hello).serve_forever()',
    '',
  ].join('\n'),
}
/** A Pipfile without packages (CI reaches no PyPI); pipenv still runs, and with the lock checks it. */
const PIPFILE = '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\n\n[dev-packages]\n'
/** What `pipenv lock` writes for PIPFILE. */
const PIPFILE_LOCK = `${JSON.stringify(
  {
    _meta: {
      hash: {sha256: 'ebffa69a1fa192d1cef7cb42ad79231ca976565c5ce371a70160b3048d3cbc06'},
      'pipfile-spec': 6,
      requires: {},
      sources: [{name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true}],
    },
    default: {},
    develop: {},
  },
  null,
  4,
)}\n`
/** A project without dependencies: pip still builds and installs it, with setuptools as its build backend. */
const PYPROJECT = '[build-system]\nrequires = ["setuptools>=40.8.0"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "hello-pyproject"\nversion = "1.0"\n'

/**
 * A Node app whose one dependency is a directory of its own (no registry needed), with a build script that
 * records which package manager ran it; it answers with the dependency, that record and the node_modules maker.
 */
const nodeApp = (name: string): Record<string, string> => ({
  'package.json': `${JSON.stringify(
    {name, version: '1.0.0', private: true, scripts: {build: 'node build.js', start: 'node server.js'}, dependencies: {greeting: 'file:./greeting'}},
    null,
    2,
  )}\n`,
  'greeting/package.json': '{"name": "greeting", "version": "1.0.0", "main": "index.js"}\n',
  'greeting/index.js': "module.exports = 'Hello through a dependency'\n",
  'build.js': "require('node:fs').writeFileSync('built.txt', (process.env.npm_config_user_agent ?? '-').split(' ')[0])\n",
  'server.js': [
    "const {existsSync, readFileSync} = require('node:fs')",
    "const installer = existsSync('node_modules/.yarn-integrity') ? 'yarn' : existsSync('node_modules/.modules.yaml') ? 'pnpm' : 'npm'",
    "const body = `${require('greeting')}; built by ${readFileSync('built.txt', 'utf8')}; node_modules by ${installer}\\n`",
    "require('node:http').createServer((q, s) => s.end(body)).listen(process.env.PORT, process.env.HOST)",
    '',
  ].join('\n'),
})

/** What yarn 1 and pnpm 10 write for nodeApp's dependency: --frozen-lockfile installs from them as they are. */
const LOCKFILES: Record<string, string> = {
  yarn: '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n"greeting@file:./greeting":\n  version "1.0.0"\n',
  pnpm: "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n      greeting:\n        specifier: file:./greeting\n        version: file:greeting\n\npackages:\n\n  greeting@file:greeting:\n    resolution: {directory: greeting, type: directory}\n\nsnapshots:\n\n  greeting@file:greeting: {}\n",
}

describe('buildpacks: git push builds with the built-in and custom buildpacks', () => {
  let ctl: Controller
  let data: string
  let home: string
  let work: string
  let allowed: string
  let http: number
  let builder: number
  let admin: string
  let bob: string

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const r = await fetch(`${ctl.url}${path}`, {
      method,
      headers: {Authorization: `token ${token}`, 'Content-Type': 'application/json'},
      ...(body === undefined ? {} : {body: JSON.stringify(body)}),
    })
    const text = await r.text()
    if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${text}`)
    return r.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text
  }
  /** Bob creates `app` (with `config`), then its files are committed and pushed with the admin's key. */
  const create = async (app: string, config: Record<string, string> = {}) => {
    await api(bob, 'POST', '/v2/apps/', {id: app})
    if (Object.keys(config).length > 0) await api(bob, 'POST', `/v2/apps/${app}/config/`, {values: config})
  }
  const push = (repo: string, app: string): Promise<Pushed> =>
    new Promise(resolve => {
      const sha = commit(repo, 'push')
      const child = spawn('git', ['push', '-q', `ssh://git@127.0.0.1:${builder}/${app}.git`, 'HEAD:main'], {
        cwd: repo,
        env: {
          ...process.env,
          GIT_SSH_COMMAND: `ssh -i ${join(work, 'key')} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`,
        },
      })
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
      child.on('close', exitCode =>
        resolve({
          exitCode,
          sha,
          repo,
          remote: stderr
            .split('\n')
            .filter(l => l.startsWith('remote: '))
            .map(l => l.trimEnd()),
        }),
      )
    })
  /** A fresh git repository for `app` holding `source` (a directory to copy) and `files`. */
  const repoFor = (app: string, source?: string, files: Record<string, string> = {}) => {
    const repo = join(work, app)
    if (source) cpSync(source, repo, {recursive: true})
    write(repo, files)
    execFileSync('git', ['init', '-q', '-b', 'main'], {cwd: repo})
    return repo
  }
  const answer = async (app: string) =>
    (
      await until(
        async () => {
          const r = await get(http, `${app}.localhost`)
          return r.status === 200 ? r : undefined
        },
        `${app} to answer`,
        60_000,
      )
    ).body

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'deis-bp-data-'))
    home = mkdtempSync(join(tmpdir(), 'deis-bp-home-'))
    work = mkdtempSync(join(tmpdir(), 'deis-bp-work-'))
    allowed = join(work, 'allowed')
    mkdirSync(allowed)
    ctl = await createController({
      port: 0,
      dataDir: data,
      runtime: {dataDir: data, builderPort: 0, httpPort: 0, httpsPort: 0, graceMs: 2000, readyTimeoutMs: 60_000, buildpackDirs: [allowed]},
    })
    const a = ctl.runtime!.addresses()
    http = Number(a.router.split(':').pop())
    builder = Number(a.builder.split(':').pop())
    admin = await userWithToken(ctl.store, {username: 'alice', password: 'alicepw', email: 'alice@example.com', is_superuser: true})
    bob = await userWithToken(ctl.store, {username: 'bob', password: 'bobpw', email: 'bob@example.com', is_superuser: false})
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@laptop', '-f', join(work, 'key')])
    await api(admin, 'POST', '/v2/keys/', {id: 'alice@laptop', public: readFileSync(join(work, 'key.pub'), 'utf8').trim()})
    mkdirSync(join(home, '.deis'), {recursive: true})
    writeFileSync(join(home, '.deis', 'client.json'), JSON.stringify({username: 'bob', ssl_verify: true, controller: ctl.url, token: bob, response_limit: 0}))
    write(join(allowed, 'bp-one'), BP_ONE)
    write(join(allowed, 'bp-two'), BP_TWO)
  }, 60_000)
  afterAll(async () => {
    await ctl?.close()
    for (const d of [data, home, work]) rmSync(d, {recursive: true, force: true})
  })

  it.each([
    ['node', 'nodejs', 'Node.js', /^Powered by Deis\nRelease v2 on /],
    ['python', 'python', 'Python', /^Hello from Python 3\.\d+\.\d+ in \//],
    ['go', 'go', 'Go', /^Hello from Go go1\.\d+/],
    ['ruby', 'ruby', 'Ruby', /^Hello from Ruby \d+\.\d+/],
    ['php', 'php', 'PHP', /^Hello from PHP \d+\.\d+/],
    ['java', 'java', 'Java', /^Hello from Java \d+/],
    ['static', 'static', 'Static', /<h1>Hello from a static site<\/h1>/],
    ['procfile', 'procfile', 'Procfile', /^Hello from a Procfile-only app\n$/],
  ])(
    'builds examples/hello-%s with the built-in buildpack and serves it through the router',
    async (name, buildpack, detected, body) => {
      const app = `hello-${name}`
      await create(app)
      const pushed = await push(repoFor(app, join(EXAMPLES, app)), app)
      expect(pushed.remote).toEqual(expect.arrayContaining([`remote: -----> ${detected} app detected`, `remote:        Done, ${app}:v2 deployed to Deis`]))
      expect(pushed.remote.join('\n')).toContain(`Using the built-in ${buildpack} buildpack: no BUILDPACK_URL or .buildpacks`)
      expect(pushed.exitCode).toBe(0)
      expect(await answer(app)).toMatch(body)
      if (name === 'python') {
        // the app runs on the virtualenv inside its slug (at /app in the app sandbox), not on the host's interpreter
        expect(await answer(app)).toContain('in /app/.venv\n')
      }
    },
    180_000,
  )

  it.each([
    [
      'Pipfile and Pipfile.lock',
      {Pipfile: PIPFILE, 'Pipfile.lock': PIPFILE_LOCK},
      ['remote: -----> Installing dependencies with pipenv', 'remote: Installing dependencies from Pipfile.lock (3cbc06)...'],
      'project=-',
    ],
    ['a Pipfile without a lock', {Pipfile: PIPFILE}, ['remote: -----> Installing dependencies with pipenv', 'remote: Installing dependencies from Pipfile...'], 'project=-'],
    [
      'pyproject.toml',
      {'pyproject.toml': PYPROJECT},
      [
        'remote: -----> Installing the project with pip install . (no dependencies, and its build backend is in /usr/share/python-wheels: PyPI is not asked)',
        'remote: Successfully installed hello-pyproject-1.0',
      ],
      'project=1.0',
    ],
  ])(
    'builds a Python app with %s into the virtualenv and serves it',
    async (what, files, installing, project) => {
      const app = `py-${what.replace(/[^a-z]+/gi, '-').toLowerCase()}`.replace(/-$/, '')
      await create(app)
      const pushed = await push(repoFor(app, undefined, {...PY_APP, ...files}), app)
      expect(pushed.remote).toEqual(expect.arrayContaining(['remote: -----> Python app detected', ...installing]))
      expect(pushed.exitCode).toBe(0)
      expect(await answer(app)).toBe(`prefix=/app/.venv ${project}\n`)
    },
    120_000,
  )

  it.each([
    ['yarn', 'yarn.lock'],
    ['pnpm', 'pnpm-lock.yaml'],
  ])(
    'installs and builds a Node app with %s when its lockfile is there',
    async (manager, lockfile) => {
      const app = `node-${manager}`
      await create(app)
      const repo = repoFor(app, undefined, {...nodeApp(app), [lockfile]: LOCKFILES[manager]!})
      const served = new RegExp(`^Hello through a dependency; built by ${manager}/\\d+\\.\\d+\\.\\d+; node_modules by ${manager}\\n$`)
      const pushed = await push(repo, app)
      expect(pushed.remote).toContain(`remote: -----> Installing dependencies with ${manager} install --frozen-lockfile`)
      expect(pushed.exitCode).toBe(0)
      expect(await answer(app)).toMatch(served)
      // the next build starts from the node_modules this one left in the cache (pnpm's is mostly symlinks)
      const again = await push(repo, app)
      expect(again.remote).toEqual(
        expect.arrayContaining(['remote: -----> Dependencies unchanged since the last build: reusing its node_modules', 'remote: -----> Running the build script']),
      )
      expect(again.exitCode).toBe(0)
      expect(await answer(app)).toMatch(served)
    },
    120_000,
  )

  it('reuses the cached Java build only while nothing it reads changed; rebuilds start Maven from its class-data archive, and a damaged one is dropped', async () => {
    await create('java-edit')
    const repo = repoFor('java-edit', join(EXAMPLES, 'hello-java'))
    const first = await push(repo, 'java-edit')
    expect(first.exitCode).toBe(0)
    expect(first.remote).toContain('remote: -----> Running mvn package')
    // Debian's Maven writes bare colour resets even in batch mode; the pusher sees none of them
    expect(first.remote.filter(l => l.includes('\x1b'))).toEqual([])
    expect(await answer('java-edit')).toMatch(/^Hello from Java \d+/)

    const unchanged = await push(repo, 'java-edit')
    expect(unchanged.exitCode).toBe(0)
    expect(unchanged.remote).toContain('remote: -----> Nothing mvn package reads changed since the last build: reusing its target/')
    expect(unchanged.remote).not.toContain('remote: -----> Running mvn package')
    expect(await answer('java-edit')).toMatch(/^Hello from Java \d+/)

    const main = join(repo, 'src', 'main', 'java', 'hello', 'Main.java')
    const say = (greeting: string) => writeFileSync(main, readFileSync(main, 'utf8').replace(/"Hello [a-z ]*from Java "/, `"${greeting} from Java "`))
    say('Hello again')
    const edited = await push(repo, 'java-edit')
    expect(edited.exitCode).toBe(0)
    expect(edited.remote).toContain('remote: -----> Running mvn package')
    expect(await answer('java-edit')).toMatch(/^Hello again from Java \d+/)
    // the first rebuild left Maven's class-data archive in the app's build cache
    const cds = join(data, 'cache', 'java-edit', 'maven', 'cds')
    const archives = readdirSync(cds)
    expect(archives).toEqual([expect.stringMatching(/^[0-9a-f]{16}\.jsa$/)])

    say('Hello once more')
    const withArchive = await push(repo, 'java-edit')
    expect(withArchive.exitCode).toBe(0)
    expect(withArchive.remote.join('\n')).not.toContain('mvn died')
    expect(await answer('java-edit')).toMatch(/^Hello once more from Java \d+/)
    expect(readdirSync(cds)).toEqual(archives)

    // a damaged archive crashes the JVM that maps it: the build runs again without it and still serves the edit
    truncateSync(join(cds, archives[0]!), 1024 * 1024)
    say('Hello at last')
    const damaged = await push(repo, 'java-edit')
    expect(damaged.exitCode).toBe(0)
    expect(damaged.remote).toContain('remote:        mvn died with status 134: building again without the class-data archive')
    expect(await answer('java-edit')).toMatch(/^Hello at last from Java \d+/)
  }, 180_000)

  it("keeps the previous release serving when a compile fails, ending with the buildpack's own lines", async () => {
    const repo = join(work, 'hello-python')
    writeFileSync(join(repo, 'requirements.txt'), '-r not-there.txt\n')
    const before = releases(ctl.store, 'hello-python').length
    const pushed = await push(repo, 'hello-python')
    expect(pushed.exitCode).not.toBe(0)
    expect(pushed.remote.at(-1)).toBe('remote: -----> Build failed: bin/compile of the Python buildpack (python) exited with status 1')
    expect(pushed.remote.at(-2)).toContain('not-there.txt')
    expect(releases(ctl.store, 'hello-python').length).toBe(before)
    expect(await answer('hello-python')).toMatch(/^Hello from Python /)
  }, 60_000)

  it('runs a custom buildpack from an allowed local directory: ENV_DIR, config_vars, .profile.d and HOST', async () => {
    await create('custom-local', {BUILDPACK_URL: join(allowed, 'bp-one'), GREETING: 'hi'})
    const pushed = await push(repoFor('custom-local', undefined, ENV_APP), 'custom-local')
    expect(pushed.exitCode).toBe(0)
    expect(pushed.remote).toEqual(
      expect.arrayContaining([
        `remote: -----> Using buildpack ${join(allowed, 'bp-one')}: BUILDPACK_URL is set in the config`,
        'remote: -----> One app detected',
        'remote: -----> one compiling with GREETING=hi',
        'remote:        Default types for buildpack -> web',
      ]),
    )
    expect(await answer('custom-local')).toBe('profile=from-profile-d defaulted=from-release one-says=- host=127.0.0.1\n')
  }, 60_000)

  it('refuses a local buildpack outside the allowed directories unless an admin set it', async () => {
    const outside = join(work, 'outside-bp')
    write(outside, BP_ONE)
    await create('custom-outside', {BUILDPACK_URL: outside})
    const repo = repoFor('custom-outside', undefined, ENV_APP)
    const refused = await push(repo, 'custom-outside')
    expect(refused.exitCode).not.toBe(0)
    expect(refused.remote.at(-1)).toBe(
      `remote: -----> Build failed: buildpack ${outside}: local buildpacks must lie under a directory the operator allowed (deis local:start --buildpack-dir <dir>), or be set in BUILDPACK_URL by an admin`,
    )
    expect(releases(ctl.store, 'custom-outside').map(r => r.version)).toEqual([2, 1])
    await api(admin, 'POST', '/v2/apps/custom-outside/config/', {values: {BUILDPACK_URL: `file://${outside}`}})
    const allowedForAdmin = await push(repo, 'custom-outside')
    expect(allowedForAdmin.remote).toContain(`remote: -----> Using buildpack file://${outside}: BUILDPACK_URL is set in the config`)
    expect(allowedForAdmin.exitCode).toBe(0)
  }, 60_000)

  it('clones a buildpack from a local git repository at its #ref, and keeps the clone cached', async () => {
    const bp = join(allowed, 'bp-git')
    write(bp, {...BP_ONE, 'bin/compile': '#!/usr/bin/env bash\necho "-----> bp-git at v1"\n'})
    execFileSync('git', ['init', '-q', '-b', 'main'], {cwd: bp})
    commit(bp, 'v1')
    execFileSync('git', ['tag', 'v1'], {cwd: bp})
    write(bp, {'bin/compile': '#!/usr/bin/env bash\necho "-----> bp-git at main"\n'})
    commit(bp, 'v2')
    await create('custom-git', {BUILDPACK_URL: `file://${bp}#v1`})
    const repo = repoFor('custom-git', undefined, ENV_APP)
    const first = await push(repo, 'custom-git')
    expect(first.exitCode).toBe(0)
    expect(first.remote).toEqual(expect.arrayContaining([`remote:        Cloning file://${bp}#v1`, 'remote: -----> bp-git at v1']))
    expect(first.remote.join('\n')).not.toContain('bp-git at main')
    const second = await push(repo, 'custom-git')
    expect(second.remote).toEqual(expect.arrayContaining([`remote:        Using the cached clone of file://${bp}#v1`, 'remote: -----> bp-git at v1']))
    expect(await answer('custom-git')).toMatch(/^profile=undefined defaulted=from-release /)
  }, 60_000)

  it("runs the buildpacks a .buildpacks file names in order, the second seeing the first one's export", async () => {
    await create('multi')
    const pushed = await push(
      repoFor('multi', undefined, {...ENV_APP, '.buildpacks': `${join(allowed, 'bp-one')}\n# comments are skipped\n${join(allowed, 'bp-two')}\n`}),
      'multi',
    )
    expect(pushed.exitCode).toBe(0)
    expect(pushed.remote).toEqual(
      expect.arrayContaining([
        `remote: -----> Using buildpack ${join(allowed, 'bp-one')}: .buildpacks names it (1 of 2)`,
        `remote: -----> Using buildpack ${join(allowed, 'bp-two')}: .buildpacks names it (2 of 2)`,
        'remote: -----> two sees ONE_SAYS=exported-by-one',
      ]),
    )
    expect(await answer('multi')).toBe('profile=from-profile-d defaulted=from-release one-says=exported-by-one host=127.0.0.1\n')
  }, 60_000)

  it('runs the release phase with the new config before the new processes start; refuses a config change or push whose release phase fails', async () => {
    await create('release-phase', {GREETING: 'hello'})
    const server =
      "require('node:http').createServer((q, s) => s.end(`migrated=${require('node:fs').existsSync('migrated')} ${process.env.WORKFLOW_RELEASE}\\n`)).listen(process.env.PORT, process.env.HOST)\n"
    const repo = repoFor('release-phase', undefined, {
      'server.js': server,
      Procfile: 'web: node server.js\nrelease: echo "migrating for $GREETING at $WORKFLOW_RELEASE" && test "$GREETING" != refuse && touch migrated\n',
    })
    const pushed = await push(repo, 'release-phase')
    expect(pushed.exitCode).toBe(0)
    expect(pushed.remote).toEqual(expect.arrayContaining(['remote:        migrating for hello at v3', 'remote:        Done, release-phase:v3 deployed to Deis']))
    // the web process saw the file the release phase made when it started
    expect(await answer('release-phase')).toBe('migrated=true v3\n')
    const logs = (await api(bob, 'GET', '/v2/apps/release-phase/logs')) as string
    expect(logs).toContain('migrating for hello at v3')
    expect(await runDeis(home, ['ps:scale', 'release=1', '--app', 'release-phase'])).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining('Container type release does not exist in application'),
    })

    // a config change is a new release too: its release phase runs first, and refuses the change when it fails
    const refused = await runDeis(home, ['config:set', 'GREETING=refuse', '--app', 'release-phase'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain(
      'the release phase ("echo "migrating for $GREETING at $WORKFLOW_RELEASE" && test "$GREETING" != refuse && touch migrated") exited with status 1; v3 keeps serving',
    )
    expect(releases(ctl.store, 'release-phase')[0]).toMatchObject({version: 4, failed: true})
    expect(await answer('release-phase')).toBe('migrated=true v3\n')
    expect(await api(bob, 'GET', '/v2/apps/release-phase/logs')).toContain('migrating for refuse at v4')

    write(repo, {Procfile: 'web: node server.js\nrelease: echo "migration failed" && exit 3\n'})
    const failed = await push(repo, 'release-phase')
    expect(failed.exitCode).not.toBe(0)
    expect(failed.remote).toContain('remote:        migration failed')
    expect(failed.remote.at(-1)).toBe(
      'remote: -----> Build failed: v5 was not deployed: the release phase ("echo "migration failed" && exit 3") exited with status 3; v3 keeps serving, see "deis logs -a release-phase" and fix the release before deploying again',
    )
    expect(releases(ctl.store, 'release-phase')[0]).toMatchObject({version: 5, failed: true})
    expect(await answer('release-phase')).toBe('migrated=true v3\n')
  }, 60_000)

  it('says a Dockerfile needs a container engine when no buildpack accepts the app', async () => {
    await create('docker-app')
    const pushed = await push(repoFor('docker-app', undefined, {Dockerfile: 'FROM scratch\n'}), 'docker-app')
    expect(pushed.exitCode).not.toBe(0)
    expect(pushed.remote.at(-1)).toBe(
      'remote: -----> Build failed: Dockerfile builds need a container engine, which the local controller does not run: add a Procfile (or set BUILDPACK_URL to a buildpack) and push again to build here with a buildpack',
    )
    expect(releases(ctl.store, 'docker-app').map(r => r.version)).toEqual([1])
  }, 60_000)

  it('fails early naming the package to install when a toolchain is missing', () => {
    // a PATH holding bash and nothing else: the Go buildpack finds no go
    const bin = join(work, 'only-bash')
    mkdirSync(bin)
    symlinkSync(execFileSync('bash', ['-c', 'command -v bash'], {encoding: 'utf8'}).trim(), join(bin, 'bash'))
    const build = join(work, 'no-go')
    write(build, {'go.mod': 'module example.com/no-go\n'})
    let result: {status: number | null; stdout: string}
    try {
      execFileSync(join(BUILTIN, 'go', 'bin', 'compile'), [build, join(work, 'no-go-cache'), join(work, 'no-go-env')], {env: {PATH: bin}, encoding: 'utf8'})
      result = {status: 0, stdout: ''}
    } catch (error) {
      result = error as {status: number; stdout: string}
    }
    expect(result).toMatchObject({status: 1, stdout: ' !     go is not available: install golang-go\n'})
  })

  it.each([
    ['yarn', 'yarn.lock'],
    ['pnpm', 'pnpm-lock.yaml'],
  ])('fails early naming %s when the lockfile asks for it and it is not installed', (manager, lockfile) => {
    // node and the tools the script itself runs, without yarn or pnpm (which live beside them in /usr/bin)
    const bin = join(work, `no-${manager}-bin`)
    mkdirSync(bin)
    for (const tool of ['bash', 'node', 'grep', 'ls', 'head', 'cat', 'sha256sum', 'cut'])
      symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).trim(), join(bin, tool))
    const build = join(work, `no-${manager}`)
    write(build, {...nodeApp(`no-${manager}`), [lockfile]: LOCKFILES[manager]!})
    let result: {status: number | null; stdout: string}
    try {
      execFileSync(join(BUILTIN, 'nodejs', 'bin', 'compile'), [build, join(work, `no-${manager}-cache`), join(work, `no-${manager}-env`)], {
        env: {PATH: bin},
        encoding: 'utf8',
      })
      result = {status: 0, stdout: ''}
    } catch (error) {
      result = error as {status: number; stdout: string}
    }
    expect(result.status).toBe(1)
    expect(result.stdout.split('\n').at(-2)).toBe(` !     ${lockfile} found but ${manager} is not available: install ${manager} (npm install -g ${manager})`)
  })
})

describe('local:start --buildpack-dir', () => {
  it('hands the allowed directories, made absolute, to the controller it starts', async () => {
    const home = mkdtempSync(join(tmpdir(), 'deis-bp-local-'))
    const data = join(home, 'data')
    mkdirSync(join(home, 'bps'))
    try {
      const started = await runDeis(home, ['local:start', '--port', '0', '--data-dir', data, '--buildpack-dir', 'bps'], {cwd: home})
      expect(started.exitCode).toBe(0)
      const {pid} = JSON.parse(readFileSync(join(data, 'controller.pid'), 'utf8')) as {pid: number}
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual(expect.arrayContaining(['--buildpack-dir', join(home, 'bps')]))
    } finally {
      expect((await runDeis(home, ['local:stop', '--data-dir', data])).exitCode).toBe(0)
      rmSync(home, {recursive: true, force: true})
    }
  }, 60_000)
})
