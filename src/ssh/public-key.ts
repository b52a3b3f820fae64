import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {basename, join} from 'node:path'
import {DeisError} from '../errors.js'
import type {Prompt} from '../prompt/prompt.js'

/** A public key file ready to upload: the id the controller stores it under, its text, and where it came from. */
export type PublicKeyFile = {id: string; public: string; path: string}

const KEY_LINE = /^(ssh-(?:rsa|dss|ed25519)|ecdsa-\S+|sk-\S+)\s+[A-Za-z0-9+/]+={0,2}(?:\s+(.*))?$/

/**
 * Reads an OpenSSH public key file. The id is the key's comment, else the file name up to its first
 * dot (`id_rsa`). The text is trimmed (the Go client uploaded the trailing newline and showed it back).
 */
export function readPublicKey(path: string): PublicKeyFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8').trim()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? `no such key file: ${path}` : code === 'EISDIR' ? `cannot read ${path}: it is a directory` : `cannot read ${path}: ${(error as Error).message}`
    throw new DeisError(why, {hint: 'pass the public key file, e.g. `deis keys:add ~/.ssh/id_ed25519.pub`'})
  }
  const m = KEY_LINE.exec(text)
  if (!m) throw new DeisError(`${path} is not a valid ssh key`, {hint: 'pass an OpenSSH public key file (one line: ssh-ed25519 AAAA... comment), e.g. ~/.ssh/id_ed25519.pub'})
  const comment = m[2]?.trim()
  return {id: comment || basename(path).split('.')[0]!, public: text, path}
}

/**
 * Splits `keys:add [<name>] [<key>]`: two values are a name and a path; one value is the path when
 * such a file exists, else the name (as the Go client decides).
 */
export function keyAddArgs(first: string | undefined, second: string | undefined): {name?: string; path?: string} {
  if (second !== undefined) return {...(first === undefined ? {} : {name: first}), path: second}
  if (first === undefined) return {}
  return existsSync(first) && statSync(first).isFile() ? {path: first} : {name: first}
}

/** The Go client's chooser over `~/.ssh/*.pub`, with a last entry to type a path; needs a terminal. */
export async function choosePublicKey(prompt: Prompt, warn: (line: string) => void): Promise<PublicKeyFile> {
  prompt.requireTty('the public key file as the <key> argument: deis keys:add [<name>] <key>')
  const dir = join(homedir(), '.ssh')
  if (!existsSync(dir)) throw new DeisError(`${dir} does not exist: pass the public key file as the <key> argument`)
  const found: PublicKeyFile[] = []
  for (const file of readdirSync(dir).filter(f => f.endsWith('.pub')).sort()) {
    try {
      found.push(readPublicKey(join(dir, file)))
    } catch {
      warn(`${join(dir, file)} is not a valid ssh key`)
    }
  }
  const choices = [
    ...found.map(k => ({name: `${basename(k.path)} ${k.id}`, value: k.path})),
    {name: 'Enter path to pubfile (or use keys:add <key_path>)', value: ''},
  ]
  const picked = await prompt.select('Which would you like to use with Deis?', choices, 'the <key> argument')
  return readPublicKey(picked || (await prompt.text('Enter the path to the pubkey file:', undefined, 'key')))
}

/** `<first 16 chars>...<last 10 chars>` of a key, as keys:list shows it; short keys are shown whole. */
export function abbreviateKey(publicKey: string): string {
  const k = publicKey.trim()
  return k.length <= 29 ? k : `${k.slice(0, 16)}...${k.slice(-10)}`
}

/** keys:list rows: ids padded to the longest, one space, then the abbreviated key. */
export function keyRows(keys: Array<{id: string; public: string}>): string[] {
  const width = Math.max(0, ...keys.map(k => k.id.length))
  return keys.map(k => `${k.id.padEnd(width)} ${abbreviateKey(k.public)}`)
}
