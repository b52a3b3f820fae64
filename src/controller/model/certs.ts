import {createPrivateKey, X509Certificate, type KeyObject} from 'node:crypto'
import type {Certificate} from '../../api/types.js'
import {objectBody} from '../http/body.js'
import {detail, fieldError, HttpError, notFound} from '../http/reply.js'
import {now, type Store} from './db.js'
import {domainCertificate} from './domains.js'

type CertRow = {
  id: number
  name: string
  owner: string
  certificate: string
  key: string
  common_name: string | null
  san: string
  fingerprint: string
  expires: string
  starts: string
  issuer: string
  subject: string
  created: string
  updated: string
}

const NAME = /^[a-z0-9-]+$/

function domainsOf(store: Store, id: number): string[] {
  return (store.sql('SELECT domain FROM domains WHERE certificate = ? ORDER BY domain').all(id) as Array<{domain: string}>).map(r => r.domain)
}

/** A certificate as the API shows it: the PEM text and the private key are never sent back. */
function certJson(store: Store, r: CertRow): Certificate {
  return {
    id: r.id,
    owner: r.owner,
    domains: domainsOf(store, r.id),
    san: JSON.parse(r.san) as string[],
    created: r.created,
    updated: r.updated,
    name: r.name,
    common_name: r.common_name,
    fingerprint: r.fingerprint,
    expires: r.expires,
    starts: r.starts,
    issuer: r.issuer,
    subject: r.subject,
  }
}

/** The caller's certificates by name; another user's certificate is invisible, even to an admin. */
export function listCerts(store: Store, owner: string): Certificate[] {
  return (store.sql('SELECT * FROM certs WHERE owner = ? ORDER BY name').all(owner) as CertRow[]).map(r => certJson(store, r))
}

function certRow(store: Store, owner: string, name: string): CertRow {
  const row = store.sql('SELECT * FROM certs WHERE owner = ? AND name = ?').get(owner, name) as CertRow | undefined
  if (!row) throw notFound('Certificate')
  return row
}

export function getCert(store: Store, owner: string, name: string): Certificate {
  return certJson(store, certRow(store, owner, name))
}

/** Python cryptography's rendering of an OpenSSL error (`[('PEM routines', '', 'no start line')]`). */
function opensslErrors(error: unknown): string {
  const m = /error:[0-9A-F]+:([^:]*):([^:]*):(.*)$/.exec((error as Error).message ?? '')
  return m ? `[('${m[1]}', '${m[2]}', '${m[3]}')]` : `[('${(error as Error).message}')]`
}

/** `Nov 25 03:18:06 2026 GMT` -> `2026-11-25T03:18:06Z`. */
function timestamp(openssl: string): string {
  return new Date(openssl).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** OpenSSL's one-line name form, `/C=US/ST=CA/CN=example.com`. */
function oneline(name: string): string {
  return name
    .split('\n')
    .filter(Boolean)
    .map(part => `/${part}`)
    .join('')
}

function requiredText(body: Record<string, unknown>, field: string, errors: Record<string, string[]>): string | undefined {
  const v = body[field]
  if (v === undefined) errors[field] = ['This field is required.']
  else if (v === null) errors[field] = ['This field may not be null.']
  else if (String(v).trim() === '') errors[field] = ['This field may not be blank.']
  else return String(v)
  return undefined
}

/**
 * Adds a certificate for `owner`: field errors for the name and for PEM text that does not load
 * (all fields checked together), then a bare-array 400 when the key does not belong to the certificate.
 */
export function addCert(store: Store, owner: string, body: unknown): Certificate {
  const b = objectBody(body)
  const errors: Record<string, string[]> = {}
  const name = requiredText(b, 'name', errors)
  if (name !== undefined) {
    if (name.length > 253) errors.name = ['Ensure this field has no more than 253 characters.']
    else if (!NAME.test(name)) errors.name = ['Can only contain a-z (lowercase), 0-9 and hyphens']
    else if (store.sql('SELECT 1 FROM certs WHERE name = ?').get(name)) errors.name = ['certificate with this name already exists.']
  }
  const pem = requiredText(b, 'certificate', errors)
  let x509: X509Certificate | undefined
  if (pem !== undefined) {
    try {
      x509 = new X509Certificate(pem)
    } catch (error) {
      errors.certificate = [`Could not load certificate: ${opensslErrors(error)}`]
    }
  }
  const keyText = requiredText(b, 'key', errors)
  let key: KeyObject | undefined
  if (keyText !== undefined) {
    try {
      key = createPrivateKey(keyText)
    } catch (error) {
      errors.key = [`Could not load private key: ${opensslErrors(error)}`]
    }
  }
  if (Object.keys(errors).length > 0 || !x509 || !key || name === undefined) throw fieldError(errors)
  if (!x509.checkPrivateKey(key)) throw new HttpError(400, ['Certificate and private key do not match!'])
  const cn = x509.subject.split('\n').find(p => p.startsWith('CN='))
  const san = (x509.subjectAltName ?? '')
    .split(', ')
    .filter(s => s.startsWith('DNS:'))
    .map(s => s.slice(4))
  const ts = now()
  const info = store
    .sql(
      `INSERT INTO certs (name, owner, certificate, key, common_name, san, fingerprint, expires, starts, issuer, subject, created, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      name,
      owner,
      pem,
      keyText,
      cn ? cn.slice(3) : null,
      JSON.stringify(san),
      x509.fingerprint256,
      timestamp(x509.validTo),
      timestamp(x509.validFrom),
      oneline(x509.issuer),
      oneline(x509.subject),
      ts,
      ts,
    )
  return certJson(store, store.sql('SELECT * FROM certs WHERE id = ?').get(info.lastInsertRowid) as CertRow)
}

/** Deletes one of the caller's certificates; the domains using it lose it. */
export function removeCert(store: Store, owner: string, name: string): void {
  const row = certRow(store, owner, name)
  store.sql('DELETE FROM certs WHERE id = ?').run(row.id)
}

/**
 * Attaches a certificate to a domain of any app (the real controller does not check access to that
 * app): 404 for an unknown domain, 409 when the domain already has a certificate.
 */
export function attachCert(store: Store, owner: string, name: string, domain: string): void {
  const cert = certRow(store, owner, name)
  const attached = domainCertificate(store, domain)
  if (attached === undefined) throw notFound('Domain')
  if (attached !== null) throw detail(409, 'Domain already has a certificate attached to it')
  store.sql('UPDATE domains SET certificate = ?, updated = ? WHERE domain = ?').run(cert.id, now(), domain)
}

/** Clears the domain's certificate, whichever it is (the real controller does not check it is this one). */
export function detachCert(store: Store, owner: string, name: string, domain: string): void {
  certRow(store, owner, name)
  if (domainCertificate(store, domain) === undefined) throw notFound('Domain')
  store.sql('UPDATE domains SET certificate = NULL, updated = ? WHERE domain = ?').run(now(), domain)
}

/** How many certificates are stored, of every user. */
export function countCerts(store: Store): number {
  return store.sql('SELECT COUNT(*) FROM certs').pluck().get() as number
}

/** A certificate by name, whoever owns it (tests check what was stored with it). */
export function findCertByName(store: Store, name: string): Certificate | undefined {
  const row = store.sql('SELECT * FROM certs WHERE name = ?').get(name) as CertRow | undefined
  return row && certJson(store, row)
}

/** The PEM certificate and key attached to `domain` (a name or `*.suffix`), for the router's SNI. */
export function certForDomain(store: Store, domain: string): {cert: string; key: string} | undefined {
  return store.sql('SELECT c.certificate AS cert, c.key AS key FROM domains d JOIN certs c ON d.certificate = c.id WHERE d.domain = ?').get(domain) as
    {cert: string; key: string} | undefined
}
