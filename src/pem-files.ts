import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {UsageError} from './errors.js'

function readPem(cwd: string, path: string, what: string): string {
  try {
    return readFileSync(resolve(cwd, path), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code)
    throw new UsageError(`cannot read the ${what} file ${path}: ${why}`, 'pass the paths of the certificate and key files: `deis certs:add <name> <cert> <key>`')
  }
}

const PRIVATE_KEY = /-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----/
const CERTIFICATE = /-----BEGIN CERTIFICATE-----/

/**
 * The checks the controller would make, in plain words and before any request: each file is PEM of
 * the right kind, the key is not encrypted, and the key belongs to the certificate.
 */
async function checkPemPair(certPath: string, certificate: string, keyPath: string, key: string): Promise<void> {
  const order = 'the certificate comes first, then the key: `deis certs:add <name> <cert> <key>`'
  if (!CERTIFICATE.test(certificate)) {
    if (PRIVATE_KEY.test(certificate)) throw new UsageError(`the certificate file ${certPath} holds a private key, not a certificate`, order)
    throw new UsageError(
      `the certificate file ${certPath} is not PEM`,
      `give the certificate as PEM (-----BEGIN CERTIFICATE-----); convert a DER one with \`openssl x509 -inform der -in ${certPath} -out cert.pem\``,
    )
  }
  if (!PRIVATE_KEY.test(key)) {
    if (CERTIFICATE.test(key)) throw new UsageError(`the key file ${keyPath} holds a certificate, not a private key`, order)
    throw new UsageError(
      `the key file ${keyPath} is not a PEM private key`,
      "give the private key as PEM (-----BEGIN PRIVATE KEY-----), the one made with the certificate's request",
    )
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(key)) {
    throw new UsageError(`the key file ${keyPath} is encrypted with a passphrase`, `decrypt it first: \`openssl pkey -in ${keyPath} -out plain.key\``)
  }
  const {X509Certificate, createPrivateKey} = await import('node:crypto')
  let cert: import('node:crypto').X509Certificate
  try {
    cert = new X509Certificate(certificate)
  } catch {
    throw new UsageError(`the certificate file ${certPath} is not PEM (its certificate block does not decode)`, 'export the certificate again from where it was issued')
  }
  let privateKey: import('node:crypto').KeyObject
  try {
    privateKey = createPrivateKey(key)
  } catch {
    throw new UsageError(`the key file ${keyPath} is not a PEM private key (its key block does not decode)`, 'export the private key again, unencrypted, as PEM')
  }
  if (!cert.checkPrivateKey(privateKey)) {
    throw new UsageError(
      `the key does not match the certificate (${keyPath} was not made for ${certPath})`,
      "pass the private key made with this certificate's signing request",
    )
  }
}

/** `certs:add` input: the PEM certificate and private key files, relative to the working directory. */
export async function readPemPair(cwd: string, certPath: string, keyPath: string): Promise<{certificate: string; key: string}> {
  const pair = {certificate: readPem(cwd, certPath, 'certificate'), key: readPem(cwd, keyPath, 'private key')}
  await checkPemPair(certPath, pair.certificate, keyPath, pair.key)
  return pair
}
