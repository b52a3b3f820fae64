import {randomUUID} from 'node:crypto'
import {isIP} from 'node:net'
import type {AppSettings, Autoscale} from '../../api/types.js'
import {objectBody} from '../http/body.js'
import {pyRepr, pySet} from '../http/pyrepr.js'
import {detail, fieldError, HttpError} from '../http/reply.js'
import {now, type Store} from './db.js'

type SettingsRow = {
  uuid: string
  app: string
  owner: string
  maintenance: number
  routable: number
  whitelist: string
  autoscale: string
  label: string
  created: string
  updated: string
}

type SettingsValues = Pick<AppSettings, 'maintenance' | 'routable' | 'whitelist' | 'autoscale' | 'label'>

function settingsJson(r: SettingsRow): AppSettings {
  return {
    uuid: r.uuid,
    app: r.app,
    owner: r.owner,
    autoscale: JSON.parse(r.autoscale) as Record<string, Autoscale>,
    label: JSON.parse(r.label) as Record<string, unknown>,
    created: r.created,
    updated: r.updated,
    maintenance: Boolean(r.maintenance),
    routable: Boolean(r.routable),
    whitelist: JSON.parse(r.whitelist) as string[],
  }
}

/** The app's newest settings object (every app has one from its creation). */
export function latestSettings(store: Store, app: string): AppSettings {
  const row = store.sql('SELECT * FROM app_settings WHERE app = ? ORDER BY seq DESC LIMIT 1').get(app) as SettingsRow | undefined
  if (!row) throw new Error(`app ${app} has no settings`)
  return settingsJson(row)
}

/** How many settings objects the app's history holds. */
export function settingsHistory(store: Store, app: string): number {
  return store.sql('SELECT COUNT(*) FROM app_settings WHERE app = ?').pluck().get(app) as number
}

/**
 * Appends a settings object (the history is append-only, as on the real controller) and logs
 * `appsettings <app>-<uuid7> updated`, as its post_save signal does.
 */
export function insertSettings(store: Store, app: string, owner: string, v: SettingsValues): AppSettings {
  const ts = now()
  const uuid = randomUUID()
  store
    .sql(
      `INSERT INTO app_settings (uuid, app, owner, maintenance, routable, whitelist, autoscale, label, created, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(uuid, app, owner, v.maintenance ? 1 : 0, v.routable ? 1 : 0, JSON.stringify(v.whitelist), JSON.stringify(v.autoscale), JSON.stringify(v.label), ts, ts)
  store.logs.event(app, `appsettings ${app}-${uuid.slice(0, 7)} updated`)
  return latestSettings(store, app)
}

/** What a new app starts with: `maintenance: false, routable: true`, no whitelist, autoscale or labels. */
export function initialSettings(store: Store, app: string, owner: string): void {
  insertSettings(store, app, owner, {maintenance: false, routable: true, whitelist: [], autoscale: {}, label: {}})
}

const TRUE = new Set<unknown>(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1', 1, true])
const FALSE = new Set<unknown>(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0', 0, false])
const NULL = new Set<unknown>(['null', 'Null', 'NULL', '', null, undefined])

/** DRF's NullBooleanField: true/false/null, or the message for `errors`. */
export function parseBool(v: unknown): boolean | null | string {
  if (TRUE.has(v)) return true
  if (FALSE.has(v)) return false
  if (NULL.has(v)) return null
  return 'Must be a valid boolean.'
}

/** An IP address, network or interface (`1.2.3.4`, `10.0.0.0/8`, `10.0.0.1/24`, `::1/128`), at most 50 characters. */
export function validAddress(a: unknown): boolean {
  if (typeof a !== 'string' || a.length > 50) return false
  const [ip, prefix, ...rest] = a.split('/')
  const family = isIP(ip ?? '')
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  if (/^\d+$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128)
  return family === 4 && isIP(prefix) === 4
}

const AUTOSCALE_KEYS = ['min', 'max', 'cpu_percent'] as const

function autoscaleProblem(entry: unknown): string | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return `${pyRepr(entry)} is not of type 'object'`
  const e = entry as Record<string, unknown>
  for (const k of AUTOSCALE_KEYS) if (!(k in e)) return `'${k}' is a required property`
  for (const k of AUTOSCALE_KEYS) if (typeof e[k] !== 'number' || !Number.isInteger(e[k])) return `${pyRepr(e[k])} is not of type 'integer'`
  return undefined
}

function isObject(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v)
}

/** Applies per-key changes (`null` removes; 422 when the key is absent) to a copy of `old`. */
function merge<T>(old: Record<string, T>, changes: Record<string, unknown>, what: string): Record<string, T> {
  const next = {...old}
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) {
      if (!(k in next)) throw detail(422, `${k} does not exist under ${what}`)
      delete next[k]
    } else next[k] = v as T
  }
  return next
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * A settings POST: validates every field (400 with all field errors), merges into the newest
 * settings and appends the result; 409 `<user> changed nothing` when nothing differs.
 */
export function changeSettings(store: Store, app: string, user: string, raw: unknown): AppSettings {
  const body = objectBody(raw)
  const errors: Record<string, string[]> = {}
  const bools: Record<string, boolean | null> = {}
  for (const f of ['maintenance', 'routable'] as const) {
    const b = parseBool(body[f])
    if (typeof b === 'string') errors[f] = [b]
    else bools[f] = b
  }
  const {whitelist, autoscale, label} = body
  if (whitelist !== undefined && whitelist !== null) {
    if (!Array.isArray(whitelist)) errors.whitelist = [`Expected a list of items but got type "${typeof whitelist === 'string' ? 'str' : typeof whitelist}".`]
    else {
      const bad = whitelist.find(a => !validAddress(a))
      if (bad !== undefined) errors.whitelist = [`The address ${String(bad)} is not valid`]
    }
  }
  if (autoscale !== undefined && autoscale !== null) {
    if (!isObject(autoscale)) errors.autoscale = [`could not validate ${pyRepr(autoscale)}: ${pyRepr(autoscale)} is not of type 'object'`]
    else {
      for (const entry of Object.values(autoscale)) {
        const problem = entry === null ? undefined : autoscaleProblem(entry)
        if (problem) {
          errors.autoscale = [`could not validate ${pyRepr(entry)}: ${problem}`]
          break
        }
      }
    }
  }
  if (label !== undefined && label !== null && !isObject(label)) errors.label = [`${pyRepr(label)} is not of type 'object'`]
  if (Object.keys(errors).length > 0) throw fieldError(errors)

  const old = latestSettings(store, app)
  const next: SettingsValues = {
    maintenance: bools.maintenance ?? old.maintenance,
    routable: bools.routable ?? old.routable,
    whitelist: Array.isArray(whitelist) ? (whitelist as string[]) : old.whitelist,
    autoscale: isObject(autoscale) ? merge<Autoscale>(old.autoscale, autoscale, 'autoscale') : old.autoscale,
    label: isObject(label) ? merge(old.label, label, 'label') : old.label,
  }
  const changed =
    next.maintenance !== old.maintenance ||
    next.routable !== old.routable ||
    !same([...new Set(next.whitelist)].sort(), [...new Set(old.whitelist)].sort()) ||
    !same(next.autoscale, old.autoscale) ||
    !same(next.label, old.label)
  if (!changed) throw detail(409, `${user} changed nothing`)
  return insertSettings(store, app, user, next)
}

/** The `addresses` list of a whitelist request; the real controller crashes (500) without one, we answer 400. */
function addresses(body: unknown): string[] {
  const list = isObject(body) ? body.addresses : undefined
  if (!Array.isArray(list)) throw fieldError({addresses: ['This field is required.']})
  const bad = list.find(a => !validAddress(a))
  // the whitelist view validates outside a serializer, so its error body is a bare array
  if (bad !== undefined) throw new HttpError(400, [`The address ${String(bad)} is not valid`])
  return list as string[]
}

/** Adds addresses to the whitelist (a set union); 409 when all were there already. */
export function addToWhitelist(store: Store, app: string, user: string, body: unknown): string[] {
  const add = addresses(body)
  const old = latestSettings(store, app)
  const next = [...new Set([...old.whitelist, ...add])]
  if (next.length === old.whitelist.length) throw detail(409, `${user} changed nothing`)
  return insertSettings(store, app, user, {...old, whitelist: next}).whitelist
}

/** Removes addresses from the whitelist; 422 naming (as a Python set) those it does not hold. */
export function removeFromWhitelist(store: Store, app: string, user: string, body: unknown): void {
  const remove = addresses(body)
  const old = latestSettings(store, app)
  const missing = [...new Set(remove.filter(a => !old.whitelist.includes(a)))]
  if (missing.length > 0) throw detail(422, `addresses ${pySet(missing)} does not exist in whitelist`)
  const next = old.whitelist.filter(a => !remove.includes(a))
  if (next.length === old.whitelist.length) throw detail(409, `${user} changed nothing`)
  insertSettings(store, app, user, {...old, whitelist: next})
}
