import type {Store} from './db.js'

/** Hephy's path-based routing of requests to an extra process type (controller-api §4.19). */
export type Service = {procfile_type: string; path_pattern: string}

/** The app's services, newest first. */
export function listServices(store: Store, app: string): Service[] {
  return store.sql('SELECT procfile_type, path_pattern FROM services WHERE app = ? ORDER BY seq DESC').all(app) as Service[]
}

export function findService(store: Store, app: string, type: string): Service | undefined {
  return store.sql('SELECT procfile_type, path_pattern FROM services WHERE app = ? AND procfile_type = ?').get(app, type) as Service | undefined
}

export function putService(store: Store, app: string, s: Service): void {
  store
    .sql('INSERT INTO services (app, procfile_type, path_pattern) VALUES (?, ?, ?) ON CONFLICT (app, procfile_type) DO UPDATE SET path_pattern = excluded.path_pattern')
    .run(app, s.procfile_type, s.path_pattern)
}

/** Removes the app's service for `type`; false when there was none. */
export function deleteService(store: Store, app: string, type: string): boolean {
  return store.sql('DELETE FROM services WHERE app = ? AND procfile_type = ?').run(app, type).changes > 0
}
