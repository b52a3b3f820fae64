import {createUser, type NewUser} from '../../../src/controller/model/users.js'
import {mintToken} from '../../../src/controller/model/tokens.js'
import type {Store} from '../../../src/controller/model/db.js'
import {execFileSync, spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {join} from 'node:path'
import {connect as tlsConnect, type PeerCertificate} from 'node:tls'
import {fileURLToPath} from 'node:url'

/** The sample app under examples/. */
export const SAMPLE = fileURLToPath(new URL('../../../examples/hello-node', import.meta.url))

/** Polls `probe` until it returns a truthy value (or throws after `ms`, default 60 s: the machine may be loaded). */
export async function until<T>(probe: () => T | Promise<T>, what: string, ms = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v) return v as NonNullable<T>
      last = v
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`)
    await new Promise(r => setTimeout(r, 50))
  }
}

export type Answer = {status: number; body: string; headers: Record<string, string | string[] | undefined>}

/** A plain HTTP request to 127.0.0.1:`port` with a Host header, no keep-alive. */
export function get(port: number, host: string, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({host: '127.0.0.1', port, path, headers: {Host: host}, agent: false}, res => {
      let body = ''
      res.setEncoding('utf8').on('data', d => (body += d))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body, headers: res.headers}))
    })
    req.on('error', reject)
    req.end()
  })
}

/** An HTTPS request with SNI `servername`, trusting `ca`; resolves with the answer and the peer certificate. */
export function getTls(port: number, servername: string, ca: string, path = '/'): Promise<Answer & {cert: PeerCertificate}> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({host: '127.0.0.1', port, servername, ca}, () => {
      const cert = socket.getPeerCertificate()
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`)
      let raw = ''
      socket.setEncoding('utf8').on('data', d => (raw += d))
      socket.on('end', () => {
        const [head, ...rest] = raw.split('\r\n\r\n')
        const status = Number(head!.split(' ')[1])
        resolve({status, body: rest.join('\r\n\r\n'), headers: {}, cert})
      })
    })
    socket.on('error', reject)
  })
}

/** A self-signed certificate for `name` made with the openssl CLI in `dir`. */
export function selfSigned(dir: string, name: string): {cert: string; key: string} {
  const key = join(dir, `${name}.key`)
  const cert = join(dir, `${name}.crt`)
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`],
    {stdio: 'ignore'},
  )
  return {cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8')}
}

/** True while a process with this pid exists. */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * `git` with `key` as the only ssh identity and no host-key prompts; resolves with what the pusher sees (ssh's own
 * messages too from `logLevel` INFO, such as a refused key's).
 */
export function gitWithKey(cwd: string, key: string, args: string[], logLevel = 'ERROR'): Promise<{exitCode: number | null; stdout: string; stderr: string}> {
  return new Promise(resolve => {
    const child = spawn('git', args, {
      cwd,
      env: {
        ...process.env,
        GIT_SSH_COMMAND: `ssh -i ${key} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=${logLevel}`,
        GIT_TERMINAL_PROMPT: '0',
      },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    child.on('close', exitCode => resolve({exitCode, stdout, stderr}))
  })
}

/** A user made straight in the model, with a token minted for it (tokens are kept as hashes, so this is the one chance to read it). */
export async function userWithToken(store: Store, user: NewUser): Promise<string> {
  await createUser(store, user)
  return mintToken(store, user.username)
}
