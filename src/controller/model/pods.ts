import type {Pod} from '../../api/types.js'
import {now, type Store} from './db.js'

/**
 * The pod records of the simulated runtime (the API-only controller): a pod there is a row that is
 * always `up`. The local runtime keeps its processes in memory instead.
 */
export function podRecords(store: Store, app: string): Pod[] {
  return store.sql('SELECT name, state, release, type, started FROM pods WHERE app = ? ORDER BY started DESC, name').all(app) as Pod[]
}

export function hasPodRecord(store: Store, name: string): boolean {
  return store.sql('SELECT 1 FROM pods WHERE name = ?').get(name) !== undefined
}

export function insertPodRecord(store: Store, app: string, pod: Omit<Pod, 'started' | 'state'>): Pod {
  const record: Pod = {name: pod.name, state: 'up', release: pod.release, type: pod.type, started: now()}
  store
    .sql('INSERT INTO pods (name, app, type, release, state, started) VALUES (?, ?, ?, ?, ?, ?)')
    .run(record.name, app, record.type, record.release, record.state, record.started)
  return record
}

export function deletePodRecord(store: Store, name: string): void {
  store.sql('DELETE FROM pods WHERE name = ?').run(name)
}
