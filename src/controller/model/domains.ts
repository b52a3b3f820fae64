import {domainToASCII} from 'node:url'
import type {Domain} from '../../api/types.js'
import {objectBody} from '../http/body.js'
import {pyString} from '../http/pyrepr.js'
import {fieldError, notFound} from '../http/reply.js'
import {now, type Store} from './db.js'

type DomainRow = {domain: string; app: string; owner: string; certificate: number | null; created: string; updated: string}

function domainJson(r: DomainRow): Domain {
  return {owner: r.owner, created: r.created, updated: r.updated, app: r.app, domain: r.domain}
}

/** An app's domains ordered by name, as the controller pages them. */
export function listDomains(store: Store, app: string): Domain[] {
  return (store.sql('SELECT * FROM domains WHERE app = ? ORDER BY domain').all(app) as DomainRow[]).map(domainJson)
}

export function domainRow(store: Store, domain: string): DomainRow | undefined {
  return store.sql('SELECT * FROM domains WHERE domain = ?').get(domain) as DomainRow | undefined
}

/** Stores a domain and logs `domain <d> added`, as the controller's post_save signal does. */
export function insertDomain(store: Store, app: string, owner: string, domain: string): Domain {
  const ts = now()
  store.sql('INSERT INTO domains (domain, app, owner, created, updated) VALUES (?, ?, ?, ?, ?)').run(domain, app, owner, ts, ts)
  store.logs.event(app, `domain ${domain} added`)
  return domainJson(domainRow(store, domain)!)
}

class IdnaError extends Error {}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`

/** Python idna's check_label for the characters we can judge: LDH for ASCII, lowercase letters/marks/digits otherwise. */
function checkLabel(label: string): void {
  if (label.length === 0) throw new IdnaError('Empty Label')
  if (label.normalize('NFC') !== label) throw new IdnaError(`${pyString(label)} is not in Unicode Normalization Form C`)
  if (label.slice(2, 4) === '--') throw new IdnaError('Label has disallowed hyphens in 3rd and 4th position')
  if (label.startsWith('-') || label.endsWith('-')) throw new IdnaError('Label must not start or end with a hyphen')
  if (/^\p{M}/u.test(label)) throw new IdnaError('Label begins with an illegal combining character')
  const cps = [...label]
  cps.forEach((ch, i) => {
    const ok = /^[a-z0-9-]$/.test(ch) || (ch.codePointAt(0)! > 0x7f && /^[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}]$/u.test(ch) && ch === ch.toLowerCase())
    if (!ok) throw new IdnaError(`Codepoint ${hex(ch.codePointAt(0)!)} at position ${i + 1} of ${pyString(label)} not allowed`)
  })
}

/** Python idna's `alabel`: ASCII labels keep their case (checked lowercased); others become `xn--` punycode. */
function alabel(label: string): string {
  if (/^[\x00-\x7f]*$/.test(label)) {
    const lower = label.toLowerCase()
    if (lower.startsWith('xn--')) {
      if (lower.length === 4) throw new IdnaError('Malformed A-label, no Punycode eligible content found')
      if (lower.endsWith('-')) throw new IdnaError('A-label must not end with a hyphen')
      if (!/^[a-z0-9-]+$/.test(lower) || domainToASCII(lower) === '') throw new IdnaError('Invalid A-label')
    } else checkLabel(lower)
    if (label.length > 63) throw new IdnaError('Label too long')
    return label
  }
  checkLabel(label)
  const ace = domainToASCII(label)
  if (!ace.startsWith('xn--') || ace.includes('.')) throw new IdnaError(`Codepoint ${hex(label.codePointAt(0)!)} at position 1 of ${pyString(label)} not allowed`)
  if (ace.length > 63) throw new IdnaError('Label too long')
  return ace
}

/** The ACE form of a domain path segment (Unicode or ACE, optional `*.`), or the segment itself when it does not convert. */
export function aceOf(domain: string): string {
  try {
    const wild = domain.startsWith('*.')
    const ace = (wild ? domain.slice(2) : domain).split('.').map(alabel).join('.')
    return wild ? `*.${ace}` : ace
  } catch {
    return domain
  }
}

/**
 * The controller's domain checks in its order (controller-api §4.12); returns the ACE name to store.
 * Errors are 400 field errors under `domain`.
 */
export function validateDomain(store: Store, raw: unknown): string {
  if (raw === undefined) throw fieldError({domain: ['This field is required.']})
  if (raw === null) throw fieldError({domain: ['This field may not be null.']})
  if (typeof raw === 'object') throw fieldError({domain: ['Not a valid string.']})
  const given = String(raw)
  if (given.trim() === '') throw fieldError({domain: ['This field may not be blank.']})
  if (domainRow(store, given)) throw fieldError({domain: ['Domain is already in use by another application']})
  const value = given.endsWith('.') ? given.slice(0, -1) : given
  if (value === '*') throw fieldError({domain: ["Hostname can't only be a wildcard"]})
  const labels = value.split('.')
  const wild = labels[0] === '*'
  if (wild) labels.shift()
  let ace: string[]
  try {
    ace = labels.map(alabel)
  } catch (error) {
    if (!(error instanceof IdnaError)) throw error
    throw fieldError({domain: [`Hostname does not look valid, could not convert to ACE ${value}: ${error.message}`]})
  }
  if (/^\d+$/.test(ace[ace.length - 1] ?? '')) throw fieldError({domain: ['Hostname does not look valid.']})
  const name = (wild ? ['*', ...ace] : ace).join('.')
  if (name.length > 253) throw fieldError({domain: ['Hostname must be 253 characters or less.']})
  if (domainRow(store, name)) throw fieldError({domain: [`The domain ${value} is already in use by another app`]})
  return name
}

/** Adds a domain to an app after validation. */
export function addDomain(store: Store, app: string, owner: string, body: unknown): Domain {
  const name = validateDomain(store, objectBody(body).domain)
  return insertDomain(store, app, owner, name)
}

/** Removes one of the app's domains (given in Unicode or ACE form); its certificate is detached with it. */
export function removeDomain(store: Store, app: string, domain: string): void {
  const row = domainRow(store, aceOf(domain))
  if (!row || row.app !== app) throw notFound('Domain')
  store.sql('DELETE FROM domains WHERE domain = ?').run(row.domain)
  store.logs.event(app, `domain ${row.domain} removed`)
}

/** Every domain with a certificate attached, and that certificate (the router serves them over TLS). */
export function domainCertificates(store: Store): Array<{domain: string; cert: string; key: string}> {
  return store.sql('SELECT d.domain AS domain, c.certificate AS cert, c.key AS key FROM domains d JOIN certs c ON d.certificate = c.id').all() as Array<{
    domain: string
    cert: string
    key: string
  }>
}

/** The id of the certificate attached to a domain: null for none, undefined for no such domain. */
export function domainCertificate(store: Store, domain: string): number | null | undefined {
  return domainRow(store, domain)?.certificate
}

/** Every domain of every app, by name. */
export function allDomains(store: Store): string[] {
  return store.sql('SELECT domain FROM domains ORDER BY domain').pluck().all() as string[]
}
