import {spawn} from 'node:child_process'
import {constants} from 'node:os'
import {eachLine} from '../process.js'

/** One buildpack script to run: `bin/detect`, `bin/compile` or `bin/release`, or the release phase's command. */
export type BuildStep = {
  argv: string[]
  cwd: string
  env: Record<string, string>
  /** Each line of stdout and stderr as it comes; without it stdout is collected and returned. */
  onLine?: (line: string) => void
  timeoutMs?: number
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
    const child = spawn(step.argv[0]!, step.argv.slice(1), {cwd: step.cwd, env: step.env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
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
