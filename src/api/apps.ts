import type {Client} from './client.js'
import type {App, ListOptions, Page} from './types.js'

const path = (id: string) => `/v2/apps/${encodeURIComponent(id)}/`

export const apps = (c: Client) => ({
  list: (opts: ListOptions) => c.list<App>('/v2/apps/', opts) as Promise<Page<App>>,
  create: (id?: string) => c.post<App>('/v2/apps/', id ? {id} : undefined),
  get: (id: string) => c.get<App>(path(id)),
  /** Transfers ownership; the controller answers 200 with an empty body. */
  transfer: (id: string, owner: string) => c.post<void>(path(id), {owner}),
  remove: (id: string) => c.delete<void>(path(id)),
})
