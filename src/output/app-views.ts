/** Pure renderers of the Go client's process, domain, settings and certificate views, byte for byte. */
import type {App, Autoscale, Certificate, Pod} from '../api/types.js'
import {infoBlock, prettyTabs} from './format.js'
import {goTable} from './output.js'

/** `ps:list`: `=== <app> Processes`, then per type (sorted) `--- <type>:` and `<name> <state> (<release>)` sorted by name. */
export function processLines(app: string, pods: Pod[]): string[] {
  const lines = [`=== ${app} Processes`]
  const types = [...new Set(pods.map(p => p.type))].sort()
  for (const type of types) {
    lines.push(`--- ${type}:`)
    const ofType = pods.filter(p => p.type === type).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const p of ofType) lines.push(`${p.name} ${p.state} (${p.release})`)
  }
  return lines
}

/**
 * The app URL from its first domain: a name with a dot as-is; a bare label under the profile's local
 * `router` host when there is one, else replacing the first label of the controller's host (port kept),
 * as the Go client's expandURL does.
 */
export function appUrl(controller: string, domain: string, router?: string): string {
  if (domain.includes('.')) return domain
  if (router) return `${domain}.${new URL(router).host}`
  const parts = new URL(controller).host.split('.')
  parts[0] = domain
  return parts.join('.')
}

/** `apps:info`'s first block. */
export function appBlock(app: App, url: string): string[] {
  return [
    `=== ${app.id} Application`,
    ...infoBlock([
      ['updated', app.updated],
      ['uuid', app.uuid],
      ['created', app.created],
      ['url', url],
      ['owner', app.owner],
      ['id', app.id],
    ]),
  ]
}

/** `labels:list`: `=== <app> Label`, then `key:` padded to the longest plus six, or `No labels found.`. */
export function labelLines(app: string, label: Record<string, unknown>): string[] {
  const keys = Object.keys(label)
  return [`=== ${app} Label`, ...(keys.length === 0 ? ['No labels found.'] : prettyTabs(label, 6, ':'))]
}

/** `autoscale:list`: header, blank line, then per type (sorted) its three settings. */
export function autoscaleLines(app: string, autoscale: Record<string, Autoscale>): string[] {
  const types = Object.keys(autoscale).sort()
  if (types.length === 0) return [`=== ${app} Autoscale`, '', 'No autoscale rules found.']
  const lines = [`=== ${app} Autoscale`, '']
  for (const t of types) {
    const a = autoscale[t]!
    lines.push(`--- ${t}:`, `Min Replicas: ${a.min}`, `Max Replicas: ${a.max}`, `CPU: ${a.cpu_percent}%`)
  }
  return lines
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Go's `2 Jan 2006` layout in UTC; `unknown` for a missing or unreadable time. */
export function shortDate(ts: string | null | undefined): string {
  const d = ts ? new Date(ts) : undefined
  if (!d || Number.isNaN(d.getTime())) return 'unknown'
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`
}

const plural = (n: number, unit: string) => ` ${n} ${unit}${n > 1 ? 's' : ''}`

/** The certs table's Expires cell: the date, then ` (expired)` or the Go client's field-wise ` (in N years|months|days)`. */
export function expiresCell(expires: string, now: Date): string {
  const d = new Date(expires)
  if (Number.isNaN(d.getTime())) return 'unknown'
  if (d.getTime() < now.getTime()) return `${shortDate(expires)} (expired)`
  const years = d.getUTCFullYear() - now.getUTCFullYear()
  const months = d.getUTCMonth() - now.getUTCMonth()
  const days = Math.abs(d.getUTCDate() - now.getUTCDate())
  const span = years > 0 ? plural(years, 'year') : months > 0 ? plural(months, 'month') : days !== 0 ? plural(days, 'day') : ''
  return `${shortDate(expires)} (in${span})`
}

/** Fingerprints longer than 4 characters shortened to the first and last five around `[...]`. */
export function shortFingerprint(fp: string): string {
  return fp.length > 4 ? `${fp.slice(0, 5)}[...]${fp.slice(-5)}` : fp
}

/** `certs:list`: the Go client's borderless table of certificates. */
export function certsTable(certs: Certificate[], now: Date): Promise<string[]> {
  const header = ['Name', 'Common Name', 'SubjectAltName', 'Expires', 'Fingerprint', 'Domains', 'Updated', 'Created']
  const rows = certs.map(c => [
    c.name,
    c.common_name ?? '',
    c.san.join(','),
    expiresCell(c.expires, now),
    shortFingerprint(c.fingerprint),
    c.domains.join(','),
    shortDate(c.updated),
    shortDate(c.created),
  ])
  return goTable(header, rows)
}

/** `certs:info`: two groups of info lines aligned together (values start at column 21). */
export function certInfoLines(c: Certificate): string[] {
  return [
    `=== ${c.name} Certificate`,
    ...infoBlock([
      ['Common Name(s)', c.common_name ?? ''],
      ['Expires At', shortDate(c.expires)],
      ['Starts At', shortDate(c.starts)],
      ['Fingerprint', c.fingerprint],
      ['Subject Alt Name', c.san.length > 0 ? c.san.join(',') : 'N/A'],
      ['Issuer', c.issuer],
      ['Subject', c.subject],
      null,
      ['Connected Domains', c.domains.length > 0 ? c.domains.join(',') : 'No connected domains'],
      ['Owner', c.owner],
      ['Created', shortDate(c.created)],
      ['Updated', shortDate(c.updated)],
    ]),
  ]
}
