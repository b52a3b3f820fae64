import {spawn, spawnSync} from 'node:child_process'
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type AddressInfo, type Server as NetServer, type Socket} from 'node:net'
import {join} from 'node:path'
import type {Connection, ServerChannel} from 'ssh2'

/** One push to build: the pushed commit, who pushed it, and where its objects are. */
export type BuildJob = {
  app: string
  user: string
  sha: string
  /** The bare repository. */
  repo: string
  /** The push's quarantine variables: git needs them to read the new objects before the push completes. */
  gitEnv: Record<string, string>
  /** Sends one line to the pusher (git shows it as `remote: <line>`). */
  say: (line: string) => void
}

export type BuilderOptions = {
  host?: string
  /** Default 2222; 0 picks a free port. */
  port?: number
  /** Repositories and the host key live here. */
  dataDir: string
  /** The user owning this public key (raw SSH blob), or undefined for an unregistered key. */
  keyOwner: (algo: string, blob: Buffer) => string | undefined
  /** Why `user` may not push to (`write`) or clone (`read`) `app` (unknown app, no permission), or undefined when allowed. */
  refuse: (user: string, app: string, access: 'read' | 'write') => string | undefined
  /** Builds and releases a push; throws to reject it (the message is shown to the pusher). */
  build: (job: BuildJob) => Promise<void>
}

export type BuilderHandle = {port: number; close: () => Promise<void>}

/** Starts the builder's last line to the hook: `<VERDICT><token> <exit status>`. */
const VERDICT = 'deis-builder-verdict-'
const REPO = /^(git-receive-pack|git-upload-pack) '\/?([^']*)'$/
const APP_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/

/**
 * The pre-receive hook git-receive-pack runs: it hands the pushed refs (and the quarantine env, both
 * base64, so no quoting can go wrong) to the builder over a loopback socket and relays the build's output,
 * so git shows it as `remote:` lines; the builder's verdict, on a last line only it can write (it names the
 * push's token), becomes the hook's exit status (non-zero rejects the push). It is bash, not node: its
 * start-up is on every push's path.
 */
const HOOK = `#!/bin/bash
refs=$(base64 -w0)
env=$(for k in GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_QUARANTINE_PATH; do [ -n "\${!k}" ] && printf '%s=%s\\n' "$k" "\${!k}"; done | base64 -w0)
exec 3<>"/dev/tcp/127.0.0.1/$DEIS_BUILDER_HOOK_PORT" || { echo "builder unreachable"; exit 1; }
printf '{"token":"%s","refs64":"%s","env64":"%s"}\\n' "$DEIS_BUILDER_HOOK_TOKEN" "$refs" "$env" >&3
marker="${VERDICT}$DEIS_BUILDER_HOOK_TOKEN "
while IFS= read -r line <&3; do
  case $line in "$marker"*) exit "\${line#"$marker"}" ;; esac
  printf '%s\\n' "$line"
done
echo "builder closed the connection before its verdict"
exit 1
`

/** The host key, generated once into the data dir (RSA in PEM, which ssh2 reads). */
function hostKey(dataDir: string): string {
  const file = join(dataDir, 'builder_host_key')
  if (!existsSync(file)) {
    const {privateKey} = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: {type: 'pkcs1', format: 'pem'},
      publicKeyEncoding: {type: 'spki', format: 'pem'},
    })
    mkdirSync(dataDir, {recursive: true, mode: 0o700})
    writeFileSync(file, privateKey, {mode: 0o600})
  }
  return readFileSync(file, 'utf8')
}

/** The app's bare repository with the current hook (rewritten each push: node's path may change). */
function ensureRepo(dataDir: string, app: string): string {
  const repo = join(dataDir, 'repos', `${app}.git`)
  if (!existsSync(join(repo, 'HEAD'))) {
    mkdirSync(repo, {recursive: true})
    const init = spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo], {encoding: 'utf8'})
    if (init.status !== 0) throw new Error(`git init failed: ${init.stderr}`)
  }
  const hook = join(repo, 'hooks', 'pre-receive')
  mkdirSync(join(repo, 'hooks'), {recursive: true})
  writeFileSync(hook, HOOK)
  chmodSync(hook, 0o700)
  return repo
}

const UNREGISTERED =
  'This SSH key is not registered with deis (or the user is not "git"): add your public key with "deis keys:add ~/.ssh/id_ed25519.pub" and push to ssh://git@<builder>/<app>.git.'

function fail(channel: ServerChannel, message: string): void {
  channel.stderr.write(`${message}\n`)
  channel.exit(1)
  channel.end()
}

/**
 * The local builder: an SSH server on 127.0.0.1 for the `git` user, authenticated by the public
 * keys users registered, that accepts `git push` to `<app>.git` and builds each push in its
 * pre-receive hook (a failed build rejects the push), and serves clones and fetches of it.
 */
export async function startBuilder(opts: BuilderOptions): Promise<BuilderHandle> {
  const {Server, utils} = (await import('ssh2')).default
  const pending = new Map<string, {app: string; user: string; repo: string}>()

  const hooks: NetServer = createServer((socket: Socket) => {
    let head = ''
    const onData = (d: Buffer) => {
      head += d.toString('utf8')
      const nl = head.indexOf('\n')
      if (nl < 0) return
      socket.off('data', onData)
      void hookCall(socket, head.slice(0, nl))
    }
    socket.on('data', onData)
    socket.on('error', () => {})
  })

  const hookCall = async (socket: Socket, line: string) => {
    let token = ''
    const finish = (code: number) => socket.end(`${VERDICT}${token} ${code}\n`)
    const say = (text: string) => {
      if (!socket.destroyed) socket.write(`${text}\n`)
    }
    let msg: {token?: string; refs64?: string; env64?: string}
    try {
      msg = JSON.parse(line) as typeof msg
    } catch {
      return finish(1)
    }
    const push = msg.token ? pending.get(msg.token) : undefined
    if (!push) return finish(1)
    pending.delete(msg.token!)
    token = msg.token!
    const refs = Buffer.from(msg.refs64 ?? '', 'base64').toString('utf8')
    const gitEnv: Record<string, string> = {}
    for (const l of Buffer.from(msg.env64 ?? '', 'base64')
      .toString('utf8')
      .split('\n')) {
      const eq = l.indexOf('=')
      if (eq > 0) gitEnv[l.slice(0, eq)] = l.slice(eq + 1)
    }
    // "<old> <new> <ref>" per updated ref; deletions (new = 0…) build nothing
    const updates = refs
      .trim()
      .split('\n')
      .map(l => l.split(' '))
      .filter(p => p.length === 3 && !/^0+$/.test(p[1]!))
    const update = updates.find(p => p[2] === 'refs/heads/main' || p[2] === 'refs/heads/master') ?? updates.at(-1)
    if (!update) return finish(0)
    try {
      await opts.build({app: push.app, user: push.user, sha: update[1]!, repo: push.repo, gitEnv, say})
      finish(0)
    } catch (error) {
      say(`-----> Build failed: ${(error as Error).message}`)
      finish(1)
    }
  }

  const exec = (channel: ServerChannel, user: string, command: string) => {
    const m = REPO.exec(command)
    if (!m) return fail(channel, `error: only "git push", "git clone" and "git fetch" are supported here (got "${command.split(' ')[0]}")`)
    const app = m[2]!.replace(/\.git$/, '')
    if (!APP_ID.test(app)) return fail(channel, `error: "${m[2]}" is not a repository name: use <app>.git`)
    const refusal = opts.refuse(user, app, m[1] === 'git-upload-pack' ? 'read' : 'write')
    if (refusal) return fail(channel, `error: ${refusal}`)
    if (m[1] === 'git-upload-pack') return upload(channel, app)
    receive(channel, app, user)
  }

  /** A clone or fetch: git-upload-pack of the app's repository, which exists once the app was pushed to. */
  const upload = (channel: ServerChannel, app: string) => {
    const repo = join(opts.dataDir, 'repos', `${app}.git`)
    if (!existsSync(join(repo, 'HEAD'))) return fail(channel, `error: app "${app}" has no code yet: push to it first with "git push deis main"`)
    const child = spawn('git', ['upload-pack', '--strict', repo], {stdio: ['pipe', 'pipe', 'pipe']})
    channel.pipe(child.stdin)
    child.stdout.pipe(channel, {end: false})
    child.stderr.pipe(channel.stderr, {end: false})
    child.on('error', error => fail(channel, `error: ${error.message}`))
    child.on('close', code => {
      channel.exit(code ?? 1)
      channel.end()
    })
  }

  const receive = (channel: ServerChannel, app: string, user: string) => {
    const repo = ensureRepo(opts.dataDir, app)
    const token = randomBytes(24).toString('hex')
    pending.set(token, {app, user, repo})
    const env = {
      ...(process.env as Record<string, string>),
      DEIS_BUILDER_HOOK_PORT: String((hooks.address() as AddressInfo).port),
      DEIS_BUILDER_HOOK_TOKEN: token,
    }
    const child = spawn('git', ['receive-pack', repo], {env, stdio: ['pipe', 'pipe', 'pipe']})
    channel.pipe(child.stdin)
    child.stdout.pipe(channel, {end: false})
    child.stderr.pipe(channel.stderr, {end: false})
    child.on('error', error => fail(channel, `error: ${error.message}`))
    child.on('close', code => {
      pending.delete(token)
      channel.exit(code ?? 1)
      channel.end()
    })
  }

  const clients = new Set<Connection>()
  const ssh = new Server({hostKeys: [hostKey(opts.dataDir)]}, (client: Connection) => {
    let user: string | undefined
    clients.add(client)
    client.on('close', () => clients.delete(client))
    client.on('authentication', ctx => {
      // Unknown keys are rejected so the client tries its next one; once none is left, the
      // keyboard-interactive round only carries the explanation (no prompt) and is rejected too.
      const methods: Array<'publickey' | 'keyboard-interactive'> = ['publickey', 'keyboard-interactive']
      if (ctx.method === 'keyboard-interactive' && ctx.username === 'git') {
        return ctx.prompt([], 'deis', UNREGISTERED, () => ctx.reject(['publickey']))
      }
      if (ctx.method !== 'publickey' || ctx.username !== 'git') return ctx.reject(methods)
      const owner = opts.keyOwner(ctx.key.algo, ctx.key.data)
      if (!owner) return ctx.reject(methods)
      if (ctx.signature) {
        const key = utils.parseKey(`${ctx.key.algo} ${ctx.key.data.toString('base64')}`)
        if (key instanceof Error || key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey'])
        user = owner
      }
      ctx.accept()
    })
    client.on('ready', () => {
      client.on('session', accept => {
        const session = accept()
        session.on('exec', (acceptExec, _reject, info) => exec(acceptExec(), user!, info.command))
        session.on('shell', acceptShell => {
          const channel = acceptShell()
          fail(channel, `Hi ${user}! You've successfully authenticated, but this builder only serves git (push, clone, fetch).`)
        })
        session.on('pty', acceptPty => acceptPty?.())
      })
    })
    client.on('error', () => {})
  })

  await new Promise<void>((resolve, reject) => {
    hooks.once('error', reject)
    hooks.listen(0, '127.0.0.1', () => resolve())
  })
  const port = await new Promise<number>((resolve, reject) => {
    ssh.once('error', reject)
    ssh.listen(opts.port ?? 2222, opts.host ?? '127.0.0.1', () => resolve((ssh.address() as AddressInfo).port))
  })
  return {
    port,
    async close() {
      for (const client of clients) client.end()
      await new Promise<void>(resolve => ssh.close(() => resolve()))
      await new Promise<void>(resolve => hooks.close(() => resolve()))
    },
  }
}
