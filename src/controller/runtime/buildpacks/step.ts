import {spawn} from 'node:child_process'
import {constants} from 'node:os'
import {eachLine} from '../process.js'
import {APP_DIR, type Sandbox, type SandboxSpec} from '../sandbox.js'

/** The app sandbox a step runs in, and what of the host it shows (the build dir at /app, the cache...). */
export type Confinement = {sandbox: Sandbox; spec: SandboxSpec}

/** One buildpack script to run: `bin/detect`, `bin/compile` or `bin/release`, or the release phase's command. */
export type BuildStep = {
  argv: string[]
  cwd: string
  env: Record<string, string>
  /** Each line of stdout and stderr as it comes; without it stdout is collected and returned. */
  onLine?: (line: string) => void
  timeoutMs?: number
  /** Runs the step in the app's sandbox; host paths in argv and env are rewritten to where the sandbox shows them. */
  confine?: Confinement
}

export type StepResult = {code: number; stdout: string; lastLines: string[]}

const KEEP_LINES = 20

/**
 * Runs one build step as a child process in its own process group (killed whole on timeout) and resolves with
 * its exit code (128 + signal for a signal, 127 when it cannot start). Every build step goes through here, so
 * this is the one place that decides how build code is confined.
 */
export function runStep(step: BuildStep): Promise<StepResult> {
  return new Promise(resolve => {
    const [file, args, env] = confined(step)
    const child = spawn(file, args, {cwd: step.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    const lastLines: string[] = []
    const line = (text: string) => {
      lastLines.push(text)
      if (lastLines.length > KEEP_LINES) lastLines.shift()
      step.onLine?.(text)
    }
    if (step.onLine) eachLine(child.stdout, line)
    else child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    eachLine(child.stderr, line)
    const timer = step.timeoutMs
      ? setTimeout(() => {
          line(`timed out after ${Math.round(step.timeoutMs! / 1000)} s`)
          try {
            process.kill(-child.pid!, 'SIGKILL')
          } catch {
            // already gone
          }
        }, step.timeoutMs)
      : undefined
    let settled = false
    const done = (code: number) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({code, stdout, lastLines})
    }
    child.on('error', error => {
      line(error.message)
      done(127)
    })
    child.on('close', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)))
  })
}

/** The command, arguments and environment that run `step`, inside its sandbox when it has one. */
function confined(step: BuildStep): [string, string[], Record<string, string>] {
  if (!step.confine) return [step.argv[0]!, step.argv.slice(1), step.env]
  const {sandbox, spec} = step.confine
  if (!sandbox.isolated) return [step.argv[0]!, step.argv.slice(1), step.env]
  // longest host path first, so a bind inside another is rewritten to its own place
  const mounts = [{from: spec.dir, to: APP_DIR}, ...(spec.binds ?? [])].sort((a, b) => b.from.length - a.from.length)
  const inside = (value: string) => {
    for (const m of mounts) if (value === m.from || value.startsWith(`${m.from}/`)) return m.to + value.slice(m.from.length)
    return value
  }
  const env = Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, inside(v)]))
  return [...sandbox.wrap(step.argv.map(inside), spec), env]
}
