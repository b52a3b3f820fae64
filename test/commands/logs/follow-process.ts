import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {BIN} from '../../helpers/run.js'

export type Following = {
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  /** Resolves once stdout contains `text`; rejects after `ms` or when the process ends first. */
  waitFor: (text: string, ms?: number) => Promise<void>
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt: () => Promise<number | null>
  exited: Promise<number | null>
}

/** Starts `deis <args>` as a child process (same environment rules as runDeis) and keeps it running. */
export function startDeis(home: string, args: string[], extraEnv: Record<string, string> = {}): Following {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('DEIS_')) env[k] = v
  delete env.NODE_ENV
  delete env.NO_COLOR
  delete env.FORCE_COLOR
  Object.assign(env, {HOME: home, DEIS_KEYCHAIN: 'off'}, extraEnv)
  const child = spawn(process.execPath, [BIN, ...args], {cwd: home, env, stdio: ['pipe', 'pipe', 'pipe']})
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', d => (out += d))
  child.stderr.setEncoding('utf8').on('data', d => (err += d))
  const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
  let ended = false
  void exited.then(() => (ended = true))
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  void exited.then(() => clearTimeout(killer))
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(text, ms = 60_000) {
      const end = Date.now() + ms
      while (!out.includes(text)) {
        if (ended) throw new Error(`deis exited before printing ${JSON.stringify(text)}; stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)}`)
        if (Date.now() > end) throw new Error(`no ${JSON.stringify(text)} within ${ms} ms; stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)}`)
        await new Promise(r => setTimeout(r, 10))
      }
    },
    async interrupt() {
      child.kill('SIGINT')
      return exited
    },
  }
}
