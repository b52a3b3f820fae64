import {randomUUID} from 'node:crypto'
import type {Config} from '../../api/types.js'
import {now, type Store} from './db.js'

/** The config maps in the controller's JSON key order (hephy's three included). */
export const CONFIG_MAPS = ['values', 'memory', 'lifecycle_post_start', 'lifecycle_pre_stop', 'cpu', 'tags', 'registry', 'healthcheck', 'termination_grace_period'] as const

export type ConfigMaps = Pick<Config, (typeof CONFIG_MAPS)[number]>

type ConfigRow = {uuid: string; app: string; owner: string; maps: string; created: string; updated: string}

export function emptyMaps(): ConfigMaps {
  return Object.fromEntries(CONFIG_MAPS.map(k => [k, {}])) as unknown as ConfigMaps
}

/** Just the maps of a config object. */
export function mapsOf(config: Config): ConfigMaps {
  return Object.fromEntries(CONFIG_MAPS.map(k => [k, config[k]])) as unknown as ConfigMaps
}

function configJson(row: ConfigRow): Config {
  const maps = {...emptyMaps(), ...(JSON.parse(row.maps) as Partial<ConfigMaps>)}
  return {uuid: row.uuid, app: row.app, owner: row.owner, ...maps, created: row.created, updated: row.updated}
}

/** Stores a config object and logs `config <app>-<uuid7> updated`, as the controller's post_save signal does. */
export function insertConfig(store: Store, app: string, owner: string, maps: ConfigMaps): Config {
  const ts = now()
  const uuid = randomUUID()
  store.sql('INSERT INTO configs (uuid, app, owner, maps, created, updated) VALUES (?, ?, ?, ?, ?, ?)').run(uuid, app, owner, JSON.stringify(maps), ts, ts)
  store.logs.event(app, `config ${app}-${uuid.slice(0, 7)} updated`)
  return configByUuid(store, uuid)!
}

export function configByUuid(store: Store, uuid: string): Config | undefined {
  const row = store.sql('SELECT * FROM configs WHERE uuid = ?').get(uuid) as ConfigRow | undefined
  return row && configJson(row)
}
