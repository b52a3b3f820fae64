import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {basename, join} from 'node:path'
import {CancelledError, DeisError, UsageError} from '../errors.js'
import type {Prompt} from '../prompt/prompt.js'

/** A public key file ready to upload: the id the controller stores it under, its text, and where it came from. */
export type PublicKeyFile = {id: string; public: string; path: string}

const KEY_LINE = /^(ssh-(?:rsa|dss|ed25519)|ecdsa-\S+|sk-\S+)\s+[A-Za-z0-9+/]+={0,2}(?:\s+(.*))?$/
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/

const pubFiles = (dir: string) =>
  readdirSync(dir)
    .filter(f => f.endsWith('.pub'))
    .sort()

/** What to do about a key file that is not there: make it (for a .pub path), else check the path. */
function missingHint(path: string): string {
  return path.endsWith('.pub') ? `check the path, or create the key with: ssh-keygen -t ed25519 -f ${path.slice(0, -4)}` : 'check the path; public key files end in .pub'
}

/**
 * Reads an OpenSSH public key file. The id is the key's comment, else the file name up to its first
 * dot (`id_rsa`). The text is trimmed (the Go client uploaded the trailing newline and showed it back).
 * A missing file, a directory and a private key each get their own error and fix.
 */
export function readPublicKey(path: string): PublicKeyFile {
  let text: string
  try {
    if (statSync(path).isDirectory()) {
      const inside = pubFiles(path)
      throw new DeisError(`${path} is a directory, not a key file`, {
        hint:
          inside.length > 0
            ? `pass a public key file in it, e.g. deis keys:add ${join(path, inside[0]!)}`
            : `create a key in it with: ssh-keygen -t ed25519 -f ${join(path, 'id_ed25519')}`,
      })
    }
    text = readFileSync(path, 'utf8').trim()
  } catch (error) {
    if (error instanceof DeisError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new DeisError(`no such key file: ${path}`, {hint: missingHint(path)})
    throw new DeisError(`cannot read ${path}: ${(error as Error).message}`)
  }
  if (PRIVATE_KEY.test(text)) {
    // the private half never leaves the machine: point at the public half beside it
    const pub = `${path}.pub`
    throw new DeisError(`${path} is a private key, not the public key deis needs`, {
      hint: existsSync(pub) ? `pass its public half: deis keys:add ${pub}` : `write its public half with: ssh-keygen -y -f ${path} > ${pub}, then: deis keys:add ${pub}`,
    })
  }
  const m = KEY_LINE.exec(text)
  if (!m) throw new DeisError(`${path} is not a valid ssh key`, {hint: 'pass an OpenSSH public key file (one line: ssh-ed25519, ssh-rsa or ecdsa-..., the key, a comment)'})
  const comment = m[2]?.trim()
  return {id: comment || basename(path).split('.')[0]!, public: text, path}
}

/**
 * Splits `keys:add [<name>] [<key>]`: two values are a name and a path; one value is the path when
 * such a file exists (as the Go client decides) or when it looks like one (a `/` or `.pub`), else the name.
 */
export function keyAddArgs(first: string | undefined, second: string | undefined): {name?: string; path?: string} {
  if (second !== undefined) return {...(first === undefined ? {} : {name: first}), path: second}
  if (first === undefined) return {}
  const isPath = (existsSync(first) && statSync(first).isFile()) || first.includes('/') || first.endsWith('.pub')
  return isPath ? {path: first} : {name: first}
}

/** With no key in `dir`: on a terminal, offers to make one with ssh-keygen (which asks for its passphrase). */
async function offerNewKey(prompt: Prompt, dir: string): Promise<PublicKeyFile> {
  const file = join(dir, 'id_ed25519')
  const make = `ssh-keygen -t ed25519 -f ${file}`
  if (existsSync(file))
    throw new DeisError(`${file} has no public half (${file}.pub)`, {hint: `write it with: ssh-keygen -y -f ${file} > ${file}.pub, then: deis keys:add ${file}.pub`})
  if (!prompt.interactive) throw new UsageError(`no SSH public key in ${dir}`, `create one with: ${make}, then: deis keys:add ${file}.pub`)
  if (!(await prompt.ask(`No SSH public key in ${dir}. Create one now (${make})?`, 'key'))) {
    throw new CancelledError(`no key added; create one with: ${make}, then: deis keys:add ${file}.pub`)
  }
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const r = spawnSync('ssh-keygen', ['-t', 'ed25519', '-f', file], {stdio: 'inherit'})
  if (r.error) throw new DeisError(`cannot run ssh-keygen: ${r.error.message}`, {hint: 'install the OpenSSH client'})
  if (r.status !== 0) throw new DeisError(`ssh-keygen failed (exit ${r.status ?? r.signal})`, {hint: `run ${make} yourself, then: deis keys:add ${file}.pub`})
  return readPublicKey(`${file}.pub`)
}

/**
 * The Go client's chooser over `~/.ssh/*.pub`, with a last entry to type a path; needs a terminal.
 * With no key there at all it offers to create one instead.
 */
export async function choosePublicKey(prompt: Prompt, warn: (line: string) => void, env: NodeJS.ProcessEnv): Promise<PublicKeyFile> {
  const dir = join(env.HOME || homedir(), '.ssh')
  const files = existsSync(dir) ? pubFiles(dir) : []
  if (files.length === 0) return offerNewKey(prompt, dir)
  prompt.requireTty('the public key file as the <key> argument: deis keys:add [<name>] <key>')
  const found: PublicKeyFile[] = []
  for (const file of files) {
    try {
      found.push(readPublicKey(join(dir, file)))
    } catch {
      warn(`${join(dir, file)} is not a valid ssh key`)
    }
  }
  const choices = [...found.map(k => ({name: `${basename(k.path)} ${k.id}`, value: k.path})), {name: 'Enter path to pubfile (or use keys:add <key_path>)', value: ''}]
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
