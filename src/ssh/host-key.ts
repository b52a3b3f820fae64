import {createHash, createPublicKey} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

/** The local builder's SSH host key as OpenSSH names it: the public key line and its SHA256 fingerprint. */
export type HostKey = {publicKey: string; fingerprint: string}

/** An SSH mpint: big-endian, with a zero byte in front when the top bit is set (it would read as negative). */
function mpint(bytes: Buffer): Buffer {
  const trimmed = bytes.subarray(bytes.findIndex(b => b !== 0))
  return trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed
}

function sshString(data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  return Buffer.concat([len, data])
}

/**
 * The builder's host key (`<data dir>/builder_host_key`, RSA PEM), as ssh shows it on the first push
 * (`RSA key fingerprint is SHA256:...`); undefined until the builder has made one.
 */
export function builderHostKey(dataDir: string): HostKey | undefined {
  let pem: string
  try {
    pem = readFileSync(join(dataDir, 'builder_host_key'), 'utf8')
  } catch {
    return undefined
  }
  const jwk = createPublicKey(pem).export({format: 'jwk'})
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) return undefined
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshString(mpint(Buffer.from(jwk.e, 'base64url'))), sshString(mpint(Buffer.from(jwk.n, 'base64url')))])
  return {
    publicKey: `ssh-rsa ${blob.toString('base64')}`,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
  }
}

/** A known_hosts line for the builder at `ssh://host:port`, as ssh writes one for a non-default port. */
export function knownHostsLine(builder: string, key: HostKey): string {
  const {hostname, port} = new URL(builder)
  return `${port && port !== '22' ? `[${hostname}]:${port}` : hostname} ${key.publicKey}\n`
}
