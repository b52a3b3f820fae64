import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {PROCESS_TYPE} from '../../api/types.js'
import type {Sandbox} from './sandbox.js'
import {eachLine} from './scheduler.js'

/** Parses the text of an app's Procfile file (`type: command` per line; blank lines and `#` comments skipped). */
export function parseProcfileFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const m = /^([^:\s]+)\s*:\s*(.+)$/.exec(line)
    if (!m || !PROCESS_TYPE.test(m[1]!)) throw new Error(`Procfile line "${line}" is not "<type>: <command>" with a lowercase type`)
    out[m[1]!] = m[2]!
  }
  return out
}

/** Runs a build step (user code: install scripts) in the app's sandbox with /app writable. */
function run(cmd: string, args: string[], opts: {cwd: string; sandbox: Sandbox; say: (line: string) => void}): Promise<void> {
  return new Promise((resolve, reject) => {
    const spec = {dir: opts.cwd, writable: true}
    // npm's downloads go to the sandbox's private /tmp, not into the slug
    const env = {...opts.sandbox.env(spec), npm_config_cache: '/tmp/npm-cache'}
    const child = spawn(...opts.sandbox.wrap([cmd, ...args], spec), {cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    const say = (line: string) => {
      if (line.trim()) opts.say(`       ${line}`)
    }
    eachLine(child.stdout, say)
    eachLine(child.stderr, say)
    child.on('error', reject)
    child.on('close', code => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args[0] ?? ''} exited with status ${code}`))))
  })
}

/** Extracts `sha` of the bare repo `repo` into `dir` (git archive | tar), with the push's quarantine env. */
function checkout(repo: string, sha: string, dir: string, gitEnv: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = {...(process.env as Record<string, string>), ...gitEnv}
    const archive = spawn('git', ['--git-dir', repo, 'archive', '--format=tar', sha], {env, stdio: ['ignore', 'pipe', 'pipe']})
    const tar = spawn('tar', ['-x', '-C', dir], {stdio: ['pipe', 'ignore', 'pipe']})
    archive.stdout.pipe(tar.stdin)
    let errors = ''
    archive.stderr.setEncoding('utf8').on('data', d => (errors += d))
    tar.stderr.setEncoding('utf8').on('data', d => (errors += d))
    archive.on('error', reject)
    tar.on('error', reject)
    tar.on('close', code => (code === 0 ? resolve() : reject(new Error(`could not check out ${sha}: ${errors.trim()}`))))
  })
}

/**
 * Turns a pushed commit into a runnable directory: checks it out into `dir` (replacing what was
 * there), runs the obvious install step (`npm ci` for a Node app with a lockfile) and reads the
 * Procfile (or `web: npm start` for a Node app without one). Progress goes to `say`.
 */
export async function buildSlug(opts: {repo: string; sha: string; dir: string; gitEnv: Record<string, string>; sandbox: Sandbox; say: (line: string) => void}): Promise<{procfile: Record<string, string>}> {
  const {dir, say} = opts
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  await checkout(opts.repo, opts.sha, dir, opts.gitEnv)
  const node = existsSync(join(dir, 'package.json'))
  if (node) {
    say('-----> Node.js app detected')
    if (existsSync(join(dir, 'package-lock.json'))) {
      say('-----> Installing dependencies with npm ci')
      await run('npm', ['ci', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'], {cwd: dir, sandbox: opts.sandbox, say})
    } else {
      say('-----> No package-lock.json: skipping the install step')
    }
  }
  let procfile: Record<string, string> = {}
  if (existsSync(join(dir, 'Procfile'))) {
    procfile = parseProcfileFile(readFileSync(join(dir, 'Procfile'), 'utf8'))
  } else if (node && (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {scripts?: {start?: string}}).scripts?.start) {
    procfile = {web: 'npm start'}
  }
  if (Object.keys(procfile).length === 0) throw new Error('no Procfile and nothing to start: add a Procfile with a "web: <command>" line')
  say(`-----> Discovering process types`)
  say(`       Procfile declares types -> ${Object.keys(procfile).join(', ')}`)
  return {procfile}
}
