import type {Client} from './client.js'
import type {Domain, ListOptions, Page} from './types.js'

const path = (app: string) => `/v2/apps/${encodeURIComponent(app)}/domains/`

export const domains = (c: Client) => ({
  list: (app: string, opts: ListOptions) => c.list<Domain>(path(app), opts) as Promise<Page<Domain>>,
  add: (app: string, domain: string) => c.post<Domain>(path(app), {domain}),
  /** No trailing slash after the domain, as the Go client sends it. */
  remove: (app: string, domain: string) => c.delete<void>(`${path(app)}${encodeURIComponent(domain)}`),
})
