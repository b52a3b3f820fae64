import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export const BIN = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url))

export type RunResult = {exitCode: number | null; stdout: string; stderr: string}

/**
 * Runs `bin/run.cjs` as a real child process with HOME set to `home` (no keychain, no colour, no
 * inherited DEIS_* settings) and resolves with what the user would see.
 */
export function runDeis(
  home: {home: string} | string,
  args: string[],
  opts: {env?: Record<string, string | undefined>; cwd?: string; input?: string; timeoutMs?: number} = {},
): Promise<RunResult> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('DEIS_')) env[k] = v
  delete env.NODE_ENV
  delete env.NO_COLOR
  delete env.FORCE_COLOR
  env.HOME = typeof home === 'string' ? home : home.home
  env.DEIS_KEYCHAIN = 'off'
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: opts.cwd ?? env.HOME, env, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({exitCode: code, stdout, stderr})
    })
    child.stdin.end(opts.input ?? '')
  })
}
