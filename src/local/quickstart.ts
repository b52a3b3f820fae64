/**
 * `deis local:quickstart`: a new user's first deploy, end to end, in a temp HOME of its own (data dir,
 * profile, SSH key, known_hosts, the app's copy), so the user's ~/.deis, ~/.ssh and keychain are never
 * touched. Each step runs the installed CLI (or git, ssh-keygen) as the user would type it.
 */
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {tmpdir} from 'node:os'
import {join, relative, sep} from 'node:path'
import {CancelledError, DeisError} from '../errors.js'
import type {Output} from '../output/output.js'
import {builderHostKey, knownHostsLine} from '../ssh/host-key.js'
import {localPaths, packageRoot, readInstance} from './instance.js'

const APP = 'hello'
const ANSWER_TIMEOUT_MS = 120_000

export type QuickstartResult = {app: string; url: string; steps: Array<{step: string; seconds: number}>}

type Ran = {stdout: string; stderr: string}

/** The answer of `GET /` through the router at 127.0.0.1:`port` for `host`, or undefined when none came. */
function fetchApp(port: number, host: string): Promise<{status: number; body: string} | undefined> {
  return new Promise(resolve => {
    const req = request({host: '127.0.0.1', port, path: '/', headers: {Host: host}, agent: false, timeout: 10_000}, res => {
      let body = ''
      res.setEncoding('utf8').on('data', d => (body += d))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
      res.on('error', () => resolve(undefined))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(undefined))
    req.end()
  })
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

class Walk {
  readonly home: string
  readonly steps: QuickstartResult['steps'] = []
  private readonly env: NodeJS.ProcessEnv
  private readonly bin: string
  private interrupted = false
  private running: ReturnType<typeof spawn> | undefined

  constructor(private readonly out: Output) {
    this.home = mkdtempSync(join(tmpdir(), 'deis-quickstart-'))
    this.bin = join(packageRoot(), 'bin', 'run.cjs')
    const env: NodeJS.ProcessEnv = {}
    // the user's DEIS_* settings (profile, local dir, controller) belong to their own HOME, not this one
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DEIS_') || k === 'DEIS_DEBUG') env[k] = v
    this.env = {...env, HOME: this.home, DEIS_KEYCHAIN: 'off', GIT_TERMINAL_PROMPT: '0'}
  }

  /** Ctrl-C ends the running step; the cleanup still runs, then the command exits 130. */
  interrupt(): void {
    this.interrupted = true
    this.running?.kill('SIGINT')
  }

  setEnv(name: string, value: string): void {
    this.env[name] = value
  }

  async step<T>(title: string, work: () => Promise<T>): Promise<T> {
    if (this.interrupted) throw new CancelledError('quickstart interrupted')
    const n = this.steps.length + 1
    this.out.note(`\n[${n}] ${title}`)
    const started = performance.now()
    const result = await work()
    const seconds = Math.round((performance.now() - started) / 10) / 100
    this.steps.push({step: title, seconds})
    this.out.note(`[${n}] done in ${seconds.toFixed(2)}s`)
    return result
  }

  /** Runs a program in the temp HOME, its output shown as it comes and kept; `shown` replaces secrets in the echo. */
  run(file: string, args: string[], opts: {cwd?: string; shown?: string; quiet?: boolean} = {}): Promise<Ran> {
    const echoed = file === process.execPath ? ['deis', ...args.slice(1)] : [file, ...args]
    this.out.note(`$ ${opts.shown ?? echoed.map(a => (/^[\w@%+=:,./-]+$/.test(a) ? a : shellQuote(a))).join(' ')}`)
    // spawn says ENOENT for a missing directory as for a missing program: tell them apart first
    if (opts.cwd && !existsSync(opts.cwd)) return Promise.reject(new DeisError(`the quickstart's directory ${opts.cwd} is gone`))
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {cwd: opts.cwd ?? this.home, env: this.env, stdio: ['ignore', 'pipe', 'pipe']})
      this.running = child
      const ran: Ran = {stdout: '', stderr: ''}
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        ran.stdout += d
        if (!opts.quiet) this.out.passthrough(d, false)
      })
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        ran.stderr += d
        if (!opts.quiet) this.out.passthrough(d, true)
      })
      child.on('error', error => {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
        reject(
          new DeisError(
            missing ? `${file} is not installed (not on PATH)` : `${file} failed: ${error.message}`,
            missing ? {hint: `install it (${file === 'git' ? 'git' : 'the OpenSSH client'}) and run the quickstart again`} : {},
          ),
        )
      })
      child.on('close', (code, signal) => {
        this.running = undefined
        if (this.interrupted) return reject(new CancelledError('quickstart interrupted'))
        if (code === 0) return resolve(ran)
        const what = file === process.execPath ? `deis ${args[1]}` : file
        reject(new DeisError(`\`${what}\` failed (exit ${code ?? signal})`, {hint: 'see its output above; the quickstart removed everything it had made'}))
      })
    })
  }

  deis(args: string[], opts: {cwd?: string; shown?: string} = {}): Promise<Ran> {
    return this.run(process.execPath, [this.bin, ...args], opts)
  }

  /** Polls the app through the router until `accept` takes an answer (the app is (re)starting meanwhile). */
  async waitForAnswer(port: number, host: string, accept: (body: string) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS
    while (!this.interrupted) {
      const answer = await fetchApp(port, host)
      if (answer?.status === 200 && accept(answer.body)) return answer.body
      if (Date.now() > deadline) {
        throw new DeisError(
          `no ${what} from http://${host}:${port}/ within ${ANSWER_TIMEOUT_MS / 1000}s (last: ${answer ? `${answer.status} ${JSON.stringify(answer.body.slice(0, 200))}` : 'no answer'})`,
          {
            hint: 'the app log above says why',
          },
        )
      }
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    throw new CancelledError('quickstart interrupted')
  }

  /** Stops the controller (and with it the app's processes) if it runs, then removes the temp HOME. */
  async cleanup(): Promise<void> {
    const dataDir = localPaths(undefined, {HOME: this.home}).dataDir
    if (readInstance(localPaths(dataDir, {}))) {
      await new Promise<void>(resolve => {
        const child = spawn(process.execPath, [this.bin, 'local:stop', '--data-dir', dataDir], {env: this.env, stdio: 'ignore'})
        child.on('close', () => resolve())
        child.on('error', () => resolve())
      })
    }
    rmSync(this.home, {recursive: true, force: true})
  }
}

const served = (body: string) => /^Release \S+ on (\S+)$/m.exec(body)?.[1]

async function walk(w: Walk, out: Output): Promise<QuickstartResult> {
  const example = join(packageRoot(), 'examples', 'hello-node')
  if (!existsSync(join(example, 'Procfile'))) throw new DeisError(`the sample app is missing: ${example}`, {hint: 'reinstall deis (the package ships examples/hello-node)'})
  const dataDir = localPaths(undefined, {HOME: w.home}).dataDir

  const url = await w.step('Start a local controller on free ports, in a temp HOME', async () => (await w.deis(['local:start', '--port', '0'])).stdout.trim())
  const rec = readInstance(localPaths(dataDir, {}))
  if (!rec?.builder || !rec.router) throw new DeisError('the local controller started without its builder and router', {hint: `see ${join(dataDir, 'controller.log')}`})
  const routerPort = Number(new URL(rec.router).port)
  const appHost = `${APP}.${new URL(rec.router).hostname}`
  const appUrl = `http://${appHost}:${routerPort}/`

  const password = randomBytes(12).toString('hex')
  const user = ['--username', 'quickstart', '--email', 'quickstart@example.com']
  await w.step('Register the first user (the administrator)', () =>
    w.deis(['register', url, ...user, '--password', password], {shown: `deis register ${url} ${user.join(' ')} --password ***`}),
  )

  const ssh = join(w.home, '.ssh')
  const key = join(ssh, 'id_ed25519')
  await w.step('Make an SSH key for this run and upload it', async () => {
    mkdirSync(ssh, {mode: 0o700})
    await w.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'quickstart@deis', '-f', key])
    await w.deis(['keys:add', `${key}.pub`])
  })

  const repo = join(w.home, 'hello-node')
  await w.step('Copy examples/hello-node into a git repository and create the app', async () => {
    // installed, the example itself lies under node_modules: only its own node_modules stays behind
    cpSync(example, repo, {recursive: true, filter: src => !relative(example, src).split(sep).includes('node_modules')})
    await w.run('git', ['init', '-q', '-b', 'main'], {cwd: repo})
    await w.run('git', ['add', '.'], {cwd: repo})
    await w.run('git', ['-c', 'user.name=quickstart', '-c', 'user.email=quickstart@example.com', 'commit', '-q', '-m', 'hello'], {cwd: repo})
    await w.deis(['create', APP], {cwd: repo})
  })

  await w.step('git push: build and deploy', async () => {
    // the builder's host key, known in advance: ssh checks it and asks nothing, in this temp HOME only
    const hostKey = builderHostKey(dataDir)
    if (!hostKey) throw new DeisError('the builder has no host key yet', {hint: `see ${join(dataDir, 'controller.log')}`})
    const knownHosts = join(ssh, 'known_hosts')
    writeFileSync(knownHosts, knownHostsLine(rec.builder!, hostKey), {mode: 0o600})
    out.note(`builder host key ${hostKey.fingerprint} written to ${knownHosts}`)
    const opts = [
      '-F',
      '/dev/null',
      '-i',
      key,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
    ]
    w.setEnv('GIT_SSH_COMMAND', ['ssh', ...opts].map(shellQuote).join(' '))
    await w.run('git', ['push', 'deis', 'main'], {cwd: repo})
  })

  await w.step(`Ask the app through the router: ${appUrl}`, async () => {
    out.note(`$ curl ${appUrl}`)
    out.passthrough(await w.waitForAnswer(routerPort, appHost, body => Boolean(served(body)), 'answer'), false)
  })

  await w.step('Scale to two web processes; both answer', async () => {
    await w.deis(['scale', 'web=2', '--app', APP])
    const seen = new Map<string, string>()
    await w.waitForAnswer(
      routerPort,
      appHost,
      body => {
        seen.set(served(body) ?? '', body)
        return [...seen.keys()].filter(Boolean).length >= 2
      },
      'answer from a second process',
    )
    out.note(`$ curl ${appUrl}   # a few times: the router spreads requests over both`)
    for (const body of [...seen.values()].slice(0, 2)) out.passthrough(body, false)
  })

  await w.step('Set a config value; the next release answers with it', async () => {
    await w.deis(['config:set', 'POWERED_BY=quickstart', '--app', APP])
    out.note(`$ curl ${appUrl}`)
    out.passthrough(await w.waitForAnswer(routerPort, appHost, body => body.startsWith('Powered by quickstart\n'), 'answer with POWERED_BY=quickstart'), false)
  })

  await w.step("Show the app's logs", () => w.deis(['logs', '--app', APP, '--lines', '20']))
  await w.step('Destroy the app', () => w.deis(['destroy', '--app', APP, '--confirm', APP]))
  await w.step('Stop the local controller', () => w.deis(['local:stop']))
  return {app: APP, url: appUrl, steps: w.steps}
}

/** Runs the whole walk; whatever happens, stops what it started and removes its temp HOME. */
export async function quickstart(out: Output): Promise<QuickstartResult> {
  const w = new Walk(out)
  const onInterrupt = () => w.interrupt()
  process.on('SIGINT', onInterrupt)
  try {
    return await walk(w, out)
  } finally {
    process.off('SIGINT', onInterrupt)
    await w.cleanup()
  }
}
