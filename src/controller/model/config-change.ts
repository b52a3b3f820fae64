import {PROCESS_TYPE, type Probe} from '../../api/types.js'
import {objectBody} from '../http/body.js'
import {pyRepr, pyStr, pyType} from '../http/pyrepr.js'
import {detail, fieldError, HttpError} from '../http/reply.js'
import {CONFIG_MAPS, emptyMaps, type ConfigMaps} from './config.js'

type StringMap = Record<string, string>
type MapName = Exclude<(typeof CONFIG_MAPS)[number], 'healthcheck'>
type Change = Partial<Record<MapName, Record<string, unknown>>> & {healthcheck?: Record<string, unknown>}

const CONFIG_KEY = /^[a-z_]+[a-z0-9_]*$/i
const MEMORY = /^(([0-9]+(MB|KB|GB|[BKMG])|0)(\/([0-9]+(MB|KB|GB|[BKMG])))?)$/i
const CPU = /^(([-+]?[0-9]*\.?[0-9]+[m]?)(\/([-+]?[0-9]*\.?[0-9]+[m]?))?)$/
const TAG = /^(?:[a-zA-Z\d][-.\w]{0,61})?[a-zA-Z\d]$/
const GRACE = /^[0-9]*$/

const MESSAGES = {
  key: 'Config keys must start with a letter or underscore and only contain [A-z0-9_]',
  proctype: 'Process types can only contain lowercase alphanumeric characters',
  memory: 'Memory limit format: <number><unit> or <number><unit>/<number><unit>, where unit = B, K, M or G',
  cpu: 'CPU limit format: <value> or <value>/<value>, where value must be a numeric',
  grace: 'Termination Grace Period format: <value>, where value must be a numeric',
}

/** Reads the POST body into maps: each may be an object or a JSON-encoded string of one (as the controller allows). */
export function readChange(body: unknown): Change {
  const fields = objectBody(body)
  const change: Change = {}
  const errors: Record<string, string[]> = {}
  for (const name of CONFIG_MAPS) {
    let raw = fields[name]
    if (raw === undefined || raw === null) continue
    if (typeof raw === 'string') {
      try {
        raw = JSON.parse(raw)
      } catch {
        throw new HttpError(500, {detail: 'Server Error'})
      }
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) errors[name] = [`Expected a dictionary of items but got type "${pyType(raw)}".`]
    else change[name] = raw as Record<string, unknown>
  }
  if (Object.keys(errors).length > 0) throw fieldError(errors)
  return change
}

function checkValues(values: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(values)) {
    if (value === null) continue
    if (!CONFIG_KEY.test(key)) return MESSAGES.key
    const s = pyStr(value)
    if (key === 'PORT') {
      if (!/^\d+$/.test(s)) return 'PORT can only be a numeric value'
      if (Number(s) < 1 || Number(s) > 65535) return 'PORT needs to be between 1 and 65535'
    } else if (key === 'HEALTHCHECK_URL') {
      const m = /^(?:([a-z][a-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(s)
      if (!m?.[3]) return 'HEALTHCHECK_URL is missing a URI path (such as /healthz). Without it no health check can be done'
      if (m[1] || m[2] || m[4] || m[5]) return 'HEALTHCHECK_URL can only be a URI path (such as /healthz) that does not contain other things such as query params'
    } else if (key.startsWith('HEALTHCHECK_') && !/^-?\d+$/.test(s.trim())) {
      return `${key} can only be a numeric value`
    }
  }
  return undefined
}

function checkPerType(map: Record<string, unknown>, valueRe: RegExp, message: string): string | undefined {
  for (const [key, value] of Object.entries(map)) {
    if (value === null) continue
    if (!PROCESS_TYPE.test(key)) return MESSAGES.proctype
    if (!valueRe.test(pyStr(value))) return message
  }
  return undefined
}

function checkTags(tags: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(tags)) {
    if (value === null) continue
    const parts = key.split('/')
    if (parts.length > 2) throw new HttpError(500, {detail: 'Server Error'})
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!]
    if (prefix !== undefined) {
      if (prefix.length > 253) return 'Tag key prefixes must 253 characters or less.'
      if (!TAG.test(prefix)) return 'Tag key prefixes must be DNS subdomains.'
    }
    if (!TAG.test(name ?? '')) return 'Tag keys must be alphanumeric or "-_.", and 1-63 characters.'
    const v = pyStr(value)
    if (v !== '' && !TAG.test(v)) return 'Tag values must be alphanumeric or "-_.", and 1-63 characters.'
  }
  return undefined
}

/** 400 when the node does not carry every tag, in the controller's words (the cause only when tags existed). */
export function checkNodeMatch(tags: StringMap, previous: StringMap, labels: StringMap): void {
  if (Object.entries(tags).every(([k, v]) => labels[k] === v)) return
  const pairs = (m: StringMap) =>
    Object.entries(m)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')
  const added = Object.fromEntries(Object.entries(tags).filter(([k, v]) => previous[k] !== v))
  const cause = Object.keys(previous).length > 0 ? ` - Addition of ${pairs(added)} is the cause` : ''
  throw detail(400, `No nodes matched the provided labels: ${pairs(tags)}${cause}`)
}

/** A jsonschema-style message for the first way `probe` breaks the probe schema, or undefined. */
function probeProblem(probe: unknown): string | undefined {
  if (!probe || typeof probe !== 'object' || Array.isArray(probe)) return `${pyRepr(probe)} is not of type 'object'`
  const p = probe as Record<string, unknown>
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v)
  const obj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (k in p && !isInt(p[k])) return `${pyRepr(p[k])} is not of type 'integer'`
  }
  if ('exec' in p) {
    if (!obj(p.exec)) return `${pyRepr(p.exec)} is not of type 'object'`
    const cmd = (p.exec as Record<string, unknown>).command
    if (cmd === undefined) return "'command' is a required property"
    if (!Array.isArray(cmd)) return `${pyRepr(cmd)} is not of type 'array'`
    if (cmd.length < 1) return '[] is too short'
    const bad = cmd.find(c => typeof c !== 'string')
    if (bad !== undefined) return `${pyRepr(bad)} is not of type 'string'`
  }
  for (const k of ['httpGet', 'tcpSocket']) {
    if (!(k in p)) continue
    if (!obj(p[k])) return `${pyRepr(p[k])} is not of type 'object'`
    const h = p[k] as Record<string, unknown>
    if (!('port' in h)) return "'port' is a required property"
    if (!isInt(h.port)) return `${pyRepr(h.port)} is not of type 'integer'`
    for (const s of ['path', 'host', 'scheme']) if (k === 'httpGet' && s in h && typeof h[s] !== 'string') return `${pyRepr(h[s])} is not of type 'string'`
    if (k === 'httpGet' && 'httpHeaders' in h) {
      if (!Array.isArray(h.httpHeaders)) return `${pyRepr(h.httpHeaders)} is not of type 'array'`
      for (const hd of h.httpHeaders) {
        if (!obj(hd)) return `${pyRepr(hd)} is not of type 'object'`
        for (const f of ['name', 'value']) {
          if (!(f in hd)) return `'${f}' is a required property`
          if (typeof hd[f] !== 'string') return `${pyRepr(hd[f])} is not of type 'string'`
        }
      }
    }
  }
  return undefined
}

function checkHealthcheck(hc: Record<string, unknown>): string | undefined {
  for (const entry of Object.values(hc)) {
    if (entry === null) continue
    if (typeof entry !== 'object' || Array.isArray(entry)) return 'Healthcheck keys must be either livenessProbe or readinessProbe'
    for (const [key, probe] of Object.entries(entry as Record<string, unknown>)) {
      if (probe === null) continue
      if (key !== 'livenessProbe' && key !== 'readinessProbe') return 'Healthcheck keys must be either livenessProbe or readinessProbe'
      const problem = probeProblem(probe)
      if (problem) return `could not validate ${pyRepr(probe)}: ${problem}`
    }
    const live = (entry as {livenessProbe?: Probe | null}).livenessProbe
    if (live?.successThreshold !== undefined && live.successThreshold !== 1) return 'livenessProbe successThreshold can only be 1'
  }
  return undefined
}

/** The legacy healthcheck shape `{"livenessProbe": …}` means `{"web/cmd": {…}}`. */
function wrapLegacy(hc: Record<string, unknown>): Record<string, unknown> {
  return 'livenessProbe' in hc || 'readinessProbe' in hc ? {'web/cmd': hc} : hc
}

/** Field validation in the serializer's order; 400 `{"<map>": ["msg"]}` for every failing map. */
export function validateChange(change: Change): void {
  const errors: Record<string, string[]> = {}
  const put = (name: string, msg: string | undefined) => {
    if (msg) errors[name] = [msg]
  }
  if (change.values) put('values', checkValues(change.values))
  if (change.memory) put('memory', checkPerType(change.memory, MEMORY, MESSAGES.memory))
  if (change.cpu) put('cpu', checkPerType(change.cpu, CPU, MESSAGES.cpu))
  if (change.tags) put('tags', checkTags(change.tags))
  if (change.registry) put('registry', Object.keys(change.registry).some(k => change.registry![k] !== null && !CONFIG_KEY.test(k)) ? MESSAGES.key : undefined)
  if (change.healthcheck) put('healthcheck', checkHealthcheck(wrapLegacy(change.healthcheck)))
  if (change.termination_grace_period) put('termination_grace_period', checkPerType(change.termination_grace_period, GRACE, MESSAGES.grace))
  if (Object.keys(errors).length > 0) throw fieldError(errors)
}

/** All of an app's config values together (keys and values, UTF-8 bytes): every release copies them, and every process gets them. */
export const MAX_CONFIG_BYTES = 256 * 1024

function checkValuesSize(values: StringMap): void {
  let size = 0
  for (const [k, v] of Object.entries(values)) size += Buffer.byteLength(k) + Buffer.byteLength(v)
  if (size > MAX_CONFIG_BYTES) {
    throw fieldError({
      values: [`Ensure the config values total no more than ${MAX_CONFIG_BYTES} bytes (they would be ${size}); keep large data in files or a service, not in config.`],
    })
  }
}

/** Merges `change` into `previous`: non-null sets, null removes (422 when absent); then the legacy healthcheck migration. */
export function mergeChange(previous: ConfigMaps, change: Change): ConfigMaps {
  const next = structuredClone(previous)
  for (const name of CONFIG_MAPS) {
    if (name === 'healthcheck' || !change[name]) continue
    const target = next[name] as StringMap
    for (const [key, value] of Object.entries(change[name])) {
      const k = name === 'registry' ? key.toLowerCase() : key
      if (value === null) {
        if (!(k in target)) throw detail(422, `${key} does not exist under ${name}`)
        delete target[k]
      } else {
        target[k] = pyStr(value)
      }
    }
  }
  if (change.healthcheck) {
    for (const [type, probes] of Object.entries(wrapLegacy(change.healthcheck))) {
      if (probes === null) {
        if (!(type in next.healthcheck)) throw detail(422, `${type} does not exist under healthcheck`)
        delete next.healthcheck[type]
        continue
      }
      for (const [kind, probe] of Object.entries(probes as Record<string, Probe | null>)) {
        const entry = (next.healthcheck[type] ??= {}) as Record<string, Probe>
        if (probe === null) {
          if (!(kind in entry)) throw detail(422, `${type} does not exist under healthcheck`)
          delete entry[kind]
        } else {
          entry[kind] = probe
        }
      }
      if (Object.keys(next.healthcheck[type] ?? {}).length === 0) delete next.healthcheck[type]
    }
  }
  migrateLegacyHealthcheck(next)
  checkValuesSize(next.values)
  if (Object.keys(next.registry).length > 0 && !('PORT' in next.values)) {
    throw detail(400, 'PORT needs to be set in the config when using a private registry')
  }
  return next
}

/** `HEALTHCHECK_*` values become `web/cmd` liveness and readiness probes and leave `values`. */
function migrateLegacyHealthcheck(maps: ConfigMaps): void {
  const v = maps.values
  if (!('HEALTHCHECK_URL' in v)) return
  const int = (key: string, fallback: number) => (key in v ? Number.parseInt(v[key]!, 10) : fallback)
  const probe: Probe = {
    initialDelaySeconds: int('HEALTHCHECK_INITIAL_DELAY', 50),
    timeoutSeconds: int('HEALTHCHECK_TIMEOUT', 50),
    periodSeconds: int('HEALTHCHECK_PERIOD_SECONDS', 10),
    successThreshold: int('HEALTHCHECK_SUCCESS_THRESHOLD', 1),
    failureThreshold: int('HEALTHCHECK_FAILURE_THRESHOLD', 3),
    httpGet: {path: v.HEALTHCHECK_URL ?? '/', port: int('PORT', 5000)},
  }
  maps.healthcheck['web/cmd'] = {livenessProbe: {...probe, successThreshold: 1}, readinessProbe: probe}
  for (const key of Object.keys(v)) if (key.startsWith('HEALTHCHECK_')) delete v[key]
}

function diff(now: Record<string, unknown>, before: Record<string, unknown>): {added: string[]; changed: string[]; deleted: string[]} {
  const sorted = (keys: string[]) => keys.sort()
  return {
    added: sorted(Object.keys(now).filter(k => !(k in before))),
    changed: sorted(Object.keys(now).filter(k => k in before && JSON.stringify(now[k]) !== JSON.stringify(before[k]))),
    deleted: sorted(Object.keys(before).filter(k => !(k in now))),
  }
}

function describe(d: ReturnType<typeof diff>, noun: string): string {
  return [
    d.added.length > 0 ? `added ${noun}${d.added.join(', ')}` : '',
    d.changed.length > 0 ? `changed ${noun}${d.changed.join(', ')}` : '',
    d.deleted.length > 0 ? `deleted ${noun}${d.deleted.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(', ')
}

/**
 * The release summary of a config change (controller-api §4.10), or '' when nothing changed.
 * The real controller glues the limits and timeouts parts on without a separator; we join every
 * part with " and ".
 */
export function configSummary(user: string, now: ConfigMaps, before: ConfigMaps | undefined): string {
  const b = before ?? emptyMaps()
  const parts: string[] = []
  const add = (text: string) => {
    if (text) parts.push(`${user} ${text}`)
  }
  add(describe(diff(now.values, b.values), ''))
  const limits = (['memory', 'cpu'] as const).filter(k => {
    const d = diff(now[k], b[k])
    return d.added.length + d.changed.length + d.deleted.length > 0
  })
  if (limits.length > 0) add(`changed limits for ${limits.join(', ')}`)
  add(describe(diff(now.tags, b.tags), 'tag '))
  add(describe(diff(now.registry, b.registry), 'registry info '))
  add(describe(diff(now.healthcheck, b.healthcheck), 'healthcheck info for proc type '))
  add(describe(diff(now.lifecycle_post_start, b.lifecycle_post_start), 'lifecycle_post_start '))
  add(describe(diff(now.lifecycle_pre_stop, b.lifecycle_pre_stop), 'lifecycle_pre_stop '))
  const grace = diff(now.termination_grace_period, b.termination_grace_period)
  if (grace.added.length + grace.changed.length + grace.deleted.length > 0) add('changed timeouts for termination_grace_period')
  return parts.join(' and ')
}
