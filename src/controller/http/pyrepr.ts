/**
 * Python's `repr()` of JSON values, for the few controller messages that print Python objects
 * (`could not validate {'min': 2}: ...`, `addresses {'1.2.3.4'} does not exist in whitelist`).
 */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v)
  if (typeof v === 'string') return pyString(v)
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${pyString(k)}: ${pyRepr(x)}`)
    .join(', ')}}`
}

/** A Python set literal of strings (`{'a', 'b'}`); `set()` when empty. */
export function pySet(items: string[]): string {
  return items.length === 0 ? 'set()' : `{${items.map(pyString).join(', ')}}`
}

/** Python's str repr: single quotes unless the text has a single quote and no double quote. */
export function pyString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote
}

function pyFloat(n: number): string {
  const s = String(n)
  return /[.e]/.test(s) ? s : `${s}.0`
}

/** Python's `str()` of a JSON value, which is how the controller stores config values. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v)
}

/** The Python type name of a parsed JSON value (`dict`, `list`, `str`, `int`, `NoneType`...), as DRF's messages name it. */
export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (Array.isArray(v)) return 'list'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  return ({string: 'str', boolean: 'bool', object: 'dict'} as Record<string, string>)[typeof v] ?? typeof v
}
