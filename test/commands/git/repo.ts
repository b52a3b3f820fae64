import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** The builder URL the Go client derives for an app of a controller on 127.0.0.1 (any port). */
export const derivedUrl = (app: string) => `ssh://git@127-builder.0.0.1:2222/${app}.git`

export type Repo = {dir: string; remotes: () => string; git: (...args: string[]) => string; close: () => void}

/** A fresh `git init` repository (in a directory named `name`) holding the given remotes. */
export function gitRepo(remotes: Record<string, string> = {}, name = 'repo'): Repo {
  const root = mkdtempSync(join(tmpdir(), 'deis-git-'))
  const dir = join(root, name)
  mkdirSync(dir)
  const git = (...args: string[]) => execFileSync('git', args, {cwd: dir, encoding: 'utf8'})
  git('init', '--quiet')
  for (const [remote, url] of Object.entries(remotes)) git('remote', 'add', remote, url)
  return {dir, git, remotes: () => git('remote', '-v'), close: () => rmSync(root, {recursive: true, force: true})}
}

/** A plain temp directory that is not inside any git repository. */
export function plainDir(name = 'plain'): {dir: string; close: () => void} {
  const root = mkdtempSync(join(tmpdir(), 'deis-nogit-'))
  const dir = join(root, name)
  mkdirSync(dir)
  return {dir, close: () => rmSync(root, {recursive: true, force: true})}
}

/** `git remote -v` lines for one remote name and URL. */
export const remoteLines = (name: string, url: string) => `${name}\t${url} (fetch)\n${name}\t${url} (push)\n`
