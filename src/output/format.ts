/** Pure text helpers reproducing the Go client's layouts byte for byte. */

/** `=== <title>` with ` (N of M)` when the list shows fewer items than the controller holds. */
export function header(title: string, shown?: number, total?: number): string {
  return shown !== undefined && total !== undefined && shown < total ? `=== ${title} (${shown} of ${total})` : `=== ${title}`
}

/** Key/value lines, keys sorted, each key padded to the longest key plus `gap` spaces. */
export function prettyTabs(values: Record<string, unknown>, gap: number, keySuffix = ''): string[] {
  const keys = Object.keys(values).sort()
  const width = Math.max(0, ...keys.map(k => (k + keySuffix).length)) + gap
  return keys.map(k => `${(k + keySuffix).padEnd(width)}${goValue(values[k])}`)
}

/**
 * The Go client's two-column info lines (apps:info, releases:info, certs:info): `label:` pre-padded to
 * the longest `label:` plus one space, then Println's own space before the value (`updated:  …`,
 * `uuid:     …`). A `null` row is a blank line; the width still spans every row.
 */
export function infoBlock(rows: Array<[string, string] | null>): string[] {
  const width = Math.max(0, ...rows.map(r => (r ? r[0].length + 1 : 0))) + 2
  return rows.map(r => (r ? `${`${r[0]}:`.padEnd(width)}${r[1]}` : ''))
}

/** Tab-separated cells padded with tabs to 8-column stops so columns line up (Go's tabwriter with tabs). */
export function tabAlign(rows: string[][]): string[] {
  const cols = Math.max(0, ...rows.map(r => r.length))
  const widths: number[] = []
  for (let c = 0; c < cols - 1; c++) {
    const longest = Math.max(...rows.map(r => (r[c] ?? '').length))
    widths[c] = Math.ceil((longest + 1) / 8) * 8
  }
  return rows.map(r =>
    r
      .map((cell, c) => {
        if (c === r.length - 1) return cell
        const tabs = Math.ceil((widths[c]! - cell.length) / 8)
        return cell + '\t'.repeat(Math.max(1, tabs))
      })
      .join(''),
  )
}

/** Renders a JSON value the way Go's `%v` prints it for the values the controller sends. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** The Go client's `whoami --all` block: ten `Label: value` lines; the controller sends no `id`, so it reads 0. */
export function userBlock(u: {
  id?: number
  username: string
  email: string
  first_name: string
  last_name: string
  last_login: string | null
  is_superuser: boolean
  is_staff: boolean
  is_active: boolean
  date_joined: string
}): string[] {
  return [
    `ID: ${u.id ?? 0}`,
    `Username: ${u.username}`,
    `Email: ${u.email}`,
    `First Name: ${u.first_name}`,
    `Last Name: ${u.last_name}`,
    `Last Login: ${u.last_login ?? ''}`,
    `Is Superuser: ${u.is_superuser}`,
    `Is Staff: ${u.is_staff}`,
    `Is Active: ${u.is_active}`,
    `Date Joined: ${u.date_joined}`,
  ]
}

/** `web 3/3 up, worker 0/1 up (1 crashed)`: a local app's processes by type for `local:status`; `no processes` when none. */
export function processSummary(processes: Record<string, {desired: number; up: number; starting: number; crashed: number}>): string {
  const parts = Object.keys(processes)
    .sort()
    .map(type => {
      const c = processes[type]!
      const extra = [c.starting ? `${c.starting} starting` : '', c.crashed ? `${c.crashed} crashed` : ''].filter(Boolean).join(', ')
      return `${type} ${c.up}/${c.desired} up${extra ? ` (${extra})` : ''}`
    })
  return parts.length > 0 ? parts.join(', ') : 'no processes'
}
