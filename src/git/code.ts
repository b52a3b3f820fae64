import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DeisError} from '../errors.js'

type GitResult = {code: number; stderr: string}

/**
 * Runs git with the user's environment (their ssh keys and config reach the builder as with a plain
 * `git push`); stdout is discarded or, with `progress`, sent to stderr with git's own, so a command's
 * stdout stays its answer (`--json`).
 */
function git(cwd: string, args: string[], opts: {progress?: boolean} = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: {...process.env, GIT_TERMINAL_PROMPT: '0'},
      stdio: ['ignore', opts.progress ? 2 : 'ignore', opts.progress ? 'inherit' : 'pipe'],
    })
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', error => reject(new DeisError(`cannot run git: ${error.message}`, {hint: 'install git and make sure it is on PATH'})))
    child.on('close', code => resolve({code: code ?? 1, stderr}))
  })
}

/** What a failed git run says: the builder's `error:` line when there is one (it says why and what to do), else git's last line. */
function failure(action: string, r: GitResult): DeisError {
  const lines = r.stderr
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
  const builder = lines.find(l => l.startsWith('error: '))
  const why = builder ? builder.slice('error: '.length) : (lines.at(-1)?.replace(/^fatal: /, '') ?? `git exited with ${r.code}`)
  return new DeisError(`${action} failed: ${why}`)
}

/** git:clone: clones `url` into `dir` with the remote named `remote`. */
export async function cloneApp(cwd: string, url: string, dir: string, remote: string): Promise<void> {
  const r = await git(cwd, ['clone', '--quiet', '--origin', remote, url, dir])
  if (r.code !== 0) throw failure(`git clone of ${url}`, r)
}

/** Whether `cwd` is a git repository holding commit `sha`. */
export async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  return (await git(cwd, ['cat-file', '-e', `${sha}^{commit}`])).code === 0
}

/**
 * Pushes commit `sha` to `url` as its main branch (a builder builds and deploys it), the build's output
 * going to stderr as `remote:` lines. `force` replaces a main branch the target already has.
 */
export async function pushCommit(cwd: string, url: string, sha: string, force: boolean): Promise<void> {
  const r = await git(cwd, ['push', '--quiet', url, `${force ? '+' : ''}${sha}:refs/heads/main`], {progress: true})
  if (r.code !== 0) throw new DeisError(`git push of ${sha.slice(0, 7)} to ${url} failed (exit ${r.code}): its output is above`)
}

/**
 * Runs `use` on a temporary bare repository holding every branch of `url` (the source builder's copy
 * of the app's code), which must contain `sha`; the repository is removed afterwards.
 */
export async function withFetched<T>(url: string, sha: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'deis-copy-'))
  try {
    const init = await git(dir, ['init', '--quiet', '--bare'])
    if (init.code !== 0) throw failure('git init', init)
    const fetched = await git(dir, ['fetch', '--quiet', url, '+refs/heads/*:refs/heads/*'])
    if (fetched.code !== 0) throw failure(`git fetch from ${url}`, fetched)
    if (!(await hasCommit(dir, sha)))
      throw new DeisError(`the source builder (${url}) no longer has commit ${sha.slice(0, 7)}`, {
        hint: 'push that commit again, or run apps:copy in a repository that has it',
      })
    return await use(dir)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
