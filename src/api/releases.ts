import type {Client} from './client.js'
import type {ListOptions, Page, Release} from './types.js'

const path = (app: string) => `/v2/apps/${encodeURIComponent(app)}/releases/`

export const releases = (c: Client) => ({
  list: (app: string, opts: ListOptions) => c.list<Release>(path(app), opts) as Promise<Page<Release>>,
  get: (app: string, version: number) => c.get<Release>(`${path(app)}v${version}/`),
  /** Rolls back to `version`, or to the one before the current release when undefined; answers the new version. */
  rollback: async (app: string, version?: number) => (await c.post<{version: number}>(`${path(app)}rollback/`, version === undefined ? undefined : {version})).version,
})
