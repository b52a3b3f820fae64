/** What `bin/release` prints, in the parts the builder uses. */
export type ReleaseInfo = {default_process_types: Record<string, string>; config_vars: Record<string, string>}

function unquote(value: string): string {
  const v = value.trim()
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return JSON.parse(v) as string
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replaceAll("''", "'")
  return v
}

/**
 * Reads the YAML subset buildpacks' `bin/release` prints: top-level maps of scalars (`default_process_types:`
 * then indented `web: command` lines, `config_vars:` likewise), `{}` for an empty map; other keys (`addons`)
 * and comments are skipped. A line it cannot read throws, naming the line.
 */
export function parseReleaseYaml(text: string): ReleaseInfo {
  const out: ReleaseInfo = {default_process_types: {}, config_vars: {}}
  let section: Record<string, string> | undefined
  let skipping = false
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trim().startsWith('#') || /^(---|\.\.\.)(\s.*)?$/.test(raw)) continue
    const indented = /^\s/.test(raw)
    const m = /^\s*("[^"]*"|'[^']*'|[^:#\s][^:]*?)\s*:(?:\s+(.*))?$/.exec(raw)
    if (!indented) {
      if (!m) throw new Error(`bin/release printed a line that is not "key: value": ${raw}`)
      const key = unquote(m[1]!)
      const rest = (m[2] ?? '').trim()
      section = key === 'default_process_types' || key === 'config_vars' ? out[key] : undefined
      skipping = !section
      if (section && rest && rest !== '{}' && rest !== '~' && rest !== 'null') throw new Error(`bin/release: "${key}" should be a map, got "${rest}"`)
      continue
    }
    if (skipping || !section) continue
    if (!m) throw new Error(`bin/release printed a line that is not "key: value": ${raw.trim()}`)
    section[unquote(m[1]!)] = unquote(m[2] ?? '')
  }
  return out
}
