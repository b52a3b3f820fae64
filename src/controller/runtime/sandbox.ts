import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** What one sandboxed command may see besides the system: the app's code at /app and, for builds, more. */
export type SandboxSpec = {
  /** The app's code on the host; the command sees it at /app and starts there. */
  dir: string
  /** Builds write their output into /app; app processes and `run` only read it. */
  writable?: boolean
  /** More host paths a step needs (a buildpack's scripts, a build cache), each at `to` inside. */
  binds?: Array<{from: string; to: string; writable?: boolean}>
}

/** How user code (app processes, one-off `run`, build steps) is kept from the controller's files. */
export type Sandbox = {
  /** True when user code runs in its own mount and pid namespaces; false when it runs as the controller does. */
  readonly isolated: boolean
  /** One line for the log: the mechanism, or why there is none. */
  readonly mechanism: string
  /** How to get isolation where there is none ('' when isolated). */
  readonly fix: string
  /** The command and arguments that run `argv` inside the sandbox (`argv` itself when there is none). */
  wrap: (argv: string[], spec: SandboxSpec) => [string, string[]]
  /** The whole environment a sandboxed command starts from (the app's config goes on top). */
  env: (spec: SandboxSpec) => Record<string, string>
}

/** Where the code is inside: Heroku's and Workflow's slug path, so Procfiles written for them work. */
export const APP_DIR = '/app'

/**
 * The system interpreters only: the machines' default `python3` lives under root's home
 * (pyenv), which the sandbox does not show.
 */
const PATH = '/usr/local/bin:/usr/bin:/bin'

/**
 * The parts of /etc programs need to start, resolve names, speak TLS and find their interpreters'
 * configuration; never /etc as a whole, which holds shadow, SSH host keys and /etc/ssl/private
 * (all readable to the uid the sandbox maps to root's).
 */
const ETC_FILES = [
  'alternatives',
  'ca-certificates',
  'ca-certificates.conf',
  'debian_version',
  'gai.conf',
  'group',
  'host.conf',
  'hostname',
  'hosts',
  'inputrc',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'magic',
  'magic.mime',
  'mime.types',
  'networks',
  'npmrc',
  'nsswitch.conf',
  'os-release',
  'pip.conf',
  'gitconfig',
  'passwd',
  'protocols',
  'resolv.conf',
  'services',
  'ssl/certs',
  'ssl/openssl.cnf',
  'timezone',
]
/** Interpreters' own configuration directories (Debian's python3.11 reads sitecustomize.py from /etc). */
const ETC_DIRS = /^(java-.*|python3.*|perl|php|ruby.*|maven|fonts)$/

/**
 * Kernel knobs a fresh /proc shows writable to the host uid app code keeps (root's, when the
 * controller runs as root): /proc/sys/kernel/core_pattern alone runs any command as root on the
 * host. bwrap 0.8 covers only irq and bus, so the rest are covered read-only here.
 */
const PROC_COVERED = ['sys', 'sysrq-trigger', 'irq', 'bus', 'fs', 'acpi', 'scsi', 'mtrr', 'driver']

/** The private /tmp's size. */
const TMP_BYTES = 1024 * 1024 * 1024

/** The uid and gid app code runs as inside its user namespace (mapped to the controller's on the host). */
const INSIDE_ID = '1000'

export type Kind = 'userns' | 'root'

function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr']
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    let link: string | undefined
    try {
      link = lstatSync(top).isSymbolicLink() ? readlinkSync(top) : undefined
    } catch {
      continue
    }
    args.push(...(link ? ['--symlink', link, top] : ['--ro-bind', top, top]))
  }
  let etc: string[] = []
  try {
    etc = readdirSync('/etc').filter(name => ETC_DIRS.test(name))
  } catch {
    // no /etc to read: the fixed list is tried anyway
  }
  args.push('--dir', '/etc')
  for (const name of [...ETC_FILES, ...etc]) args.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`)
  return args
}

function bwrapArgs(kind: Kind, system: string[], spec: SandboxSpec): string[] {
  const args = [
    // no --die-with-parent: a restarted controller adopts the processes its predecessor left (process.ts)
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    // no nested user namespaces: they would give app code capabilities over its own namespaces, and so more kernel to attack
    ...(kind === 'userns' ? ['--unshare-user', '--uid', INSIDE_ID, '--gid', INSIDE_ID, '--disable-userns'] : ['--cap-drop', 'ALL']),
    ...system,
    '--proc',
    '/proc',
    ...PROC_COVERED.flatMap(name => ['--ro-bind-try', `/proc/${name}`, `/proc/${name}`]),
    '--dev',
    '/dev',
    // tmpfs is memory: a cap keeps one app from filling it
    '--size',
    String(TMP_BYTES),
    '--tmpfs',
    '/tmp',
    '--dir',
    '/var',
    '--symlink',
    '../tmp',
    '/var/tmp',
    spec.writable ? '--bind' : '--ro-bind',
    spec.dir,
    APP_DIR,
  ]
  for (const b of spec.binds ?? []) args.push(b.writable ? '--bind' : '--ro-bind', b.from, b.to)
  args.push('--chdir', APP_DIR)
  return args
}

/**
 * bwrap's own process dies of the SIGTERM the scheduler sends the process group, which would end
 * the app before its grace period: bwrap ignores TERM (env --ignore-signal) and the app gets it
 * back (env --default-signal), so the app alone decides when to exit and bwrap exits with it.
 */
export function bubblewrap(kind: Kind, bwrap = 'bwrap'): Sandbox {
  const system = systemBinds()
  return {
    isolated: true,
    fix: '',
    mechanism:
      kind === 'userns'
        ? 'bubblewrap: mount, pid, ipc and user namespaces (apps see only their own code at /app; host network shared)'
        : 'bubblewrap as root without user namespaces: mount, pid and ipc namespaces, all capabilities dropped (apps see only their own code at /app; host network shared)',
    wrap: (argv, spec) => ['env', ['--ignore-signal=TERM', bwrap, ...bwrapArgs(kind, system, spec), '--', 'env', '--default-signal=TERM', ...argv]],
    env: () => ({PATH, HOME: APP_DIR, HOST: '127.0.0.1', LANG: 'C.UTF-8'}),
  }
}

/** No isolation: commands run as the controller does, with the same minimal environment. */
export function unsandboxed(why: string, fix = 'install bubblewrap (apt-get install bubblewrap)'): Sandbox {
  return {
    isolated: false,
    mechanism: `none (${why})`,
    fix,
    wrap: argv => [argv[0]!, argv.slice(1)],
    env: spec => ({PATH, HOME: spec.dir, HOST: '127.0.0.1', LANG: 'C.UTF-8'}),
  }
}

/**
 * Runs one sandboxed command that must read a file of its own /app and must not see `hidden` (the
 * controller's data dir): any other answer means this kind of sandbox does not isolate here.
 */
function selfTest(sandbox: Sandbox, hidden: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'deis-sandbox-probe-'))
  try {
    const token = randomBytes(8).toString('hex')
    writeFileSync(join(dir, 'probe'), token, {mode: 0o600})
    const spec = {dir}
    const [file, args] = sandbox.wrap(
      ['/bin/sh', '-c', 'cat /app/probe && ! test -e "$1" && ! test -e /root && ! test -w /proc/sys/kernel/core_pattern && ! test -w /proc/sysrq-trigger', 'sh', hidden],
      spec,
    )
    const r = spawnSync(file, args, {env: sandbox.env(spec), encoding: 'utf8', timeout: 10_000})
    if (r.error) return r.error.message
    if (r.status === 0 && r.stdout === token) return undefined
    return (r.stderr.trim().split('\n')[0] ?? '') || `the self-test exited with status ${r.status}`
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/**
 * Picks the strongest sandbox that passes a self-test on this machine: bubblewrap with a user
 * namespace, else (as root, where user namespaces are off) bubblewrap with capabilities dropped,
 * else none. `hidden` is a path the sandbox must not show (the data dir); `bwrap` the program.
 */
export function openSandbox(hidden: string, bwrap = 'bwrap'): Sandbox {
  const program = findProgram(bwrap)
  if (!program) return unsandboxed('bubblewrap (bwrap) is not installed')
  const why: string[] = []
  const kinds: Kind[] = process.getuid?.() === 0 ? ['userns', 'root'] : ['userns']
  for (const kind of kinds) {
    const sandbox = bubblewrap(kind, program)
    const failed = selfTest(sandbox, hidden)
    if (!failed) return sandbox
    why.push(failed)
  }
  return unsandboxed(
    `bubblewrap failed its self-test: ${[...new Set(why)].join('; ')}`,
    'let bubblewrap create user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, kernel.apparmor_restrict_unprivileged_userns) or run the controller as root',
  )
}

/** The program's path: as given when it has a slash, else the first in the controller's PATH (apps get a PATH of their own). */
function findProgram(name: string): string | undefined {
  if (name.includes('/')) return existsSync(name) ? name : undefined
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .filter(Boolean)
    .map(dir => join(dir, name))
    .find(path => existsSync(path))
}
