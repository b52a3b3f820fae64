import {spawn} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'

/** The `deis-<name>` executable on PATH that the Go client would run for an unknown command word, if any. */
export function findPlugin(word: string, env: NodeJS.ProcessEnv): string | undefined {
  const name = word.split(':')[0]
  if (!name || !/^[\w.-]+$/.test(name)) return undefined
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const file = join(dir, `deis-${name}`)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not in this directory
    }
  }
  return undefined
}

/**
 * Runs a plugin as the Go client does: `deis foo:bar x` runs `deis-foo bar x`, without `-c/--config`
 * (the profile travels as DEIS_PROFILE instead), with this process's terminal; resolves to its exit code.
 */
export function runPlugin(file: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [word = '', ...rest] = argv
  const sub = word.includes(':') ? [word.slice(word.indexOf(':') + 1)] : []
  const args: string[] = []
  let profile = env.DEIS_PROFILE
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    if (a === '--') {
      args.push(...rest.slice(i))
      break
    }
    if (a === '-c' || a === '--config') profile = rest[++i]
    else if (a.startsWith('--config=')) profile = a.slice('--config='.length)
    else args.push(a)
  }
  return new Promise(resolve => {
    const child = spawn(file, [...sub, ...args], {stdio: 'inherit', env: {...env, ...(profile === undefined ? {} : {DEIS_PROFILE: profile})}})
    child.on('error', () => resolve(1))
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)))
  })
}
