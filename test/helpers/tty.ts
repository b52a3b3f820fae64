import {spawn} from 'node:child_process'
import {BIN} from './run.js'

/**
 * Runs deis on a real pseudo-terminal (util-linux `script`), typing each answer's text once its prompt shows, in
 * order (a prompt is looked for after the previous one); `timeoutMs` kills a run that is left waiting.
 */
export function runOnTty(
  home: string,
  args: string[],
  answers: Array<[prompt: string, typed: string]>,
  timeoutMs = 20_000,
): Promise<{exitCode: number | null; screen: string}> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('DEIS_')) env[k] = v
  Object.assign(env, {HOME: home, DEIS_KEYCHAIN: 'off', NO_COLOR: '1'})
  const command = [process.execPath, BIN, ...args].map(a => `'${a}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: home, env})
    let screen = ''
    let next = 0
    let from = 0
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += d
      const at = next < answers.length ? screen.indexOf(answers[next]![0], from) : -1
      if (at >= 0) {
        from = at + answers[next]![0].length
        child.stdin.write(answers[next++]![1])
      }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', exitCode => {
      clearTimeout(timer)
      resolve({exitCode, screen})
    })
  })
}
