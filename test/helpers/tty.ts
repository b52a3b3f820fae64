import {spawn} from 'node:child_process'
import {BIN} from './run.js'

/** Runs deis on a real pseudo-terminal (util-linux `script`), typing `answer` once `prompt` shows (`>` by default). */
export function runOnTty(home: string, args: string[], answer: string, prompt = '>'): Promise<{exitCode: number | null; screen: string}> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('DEIS_')) env[k] = v
  Object.assign(env, {HOME: home, DEIS_KEYCHAIN: 'off', NO_COLOR: '1'})
  const command = [process.execPath, BIN, ...args].map(a => `'${a}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: home, env})
    let screen = ''
    let typed = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += d
      if (!typed && screen.includes(prompt)) {
        typed = true
        child.stdin.write(`${answer}\r`)
      }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('close', exitCode => {
      clearTimeout(timer)
      resolve({exitCode, screen})
    })
  })
}
