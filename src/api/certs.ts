import type {Client} from './client.js'
import type {Certificate, ListOptions, Page} from './types.js'

const path = (name: string) => `/v2/certs/${encodeURIComponent(name)}`

/** Certificates belong to the caller, not to an app; they reach apps through `attach` to a domain. */
export const certs = (c: Client) => ({
  list: (opts: ListOptions) => c.list<Certificate>('/v2/certs/', opts) as Promise<Page<Certificate>>,
  add: (name: string, certificate: string, key: string) => c.post<Certificate>('/v2/certs/', {certificate, key, name}),
  get: (name: string) => c.get<Certificate>(path(name)),
  remove: (name: string) => c.delete<void>(path(name)),
  /** The controller answers 201 with an empty body. */
  attach: (name: string, domain: string) => c.post<void>(`${path(name)}/domain/`, {domain}),
  detach: (name: string, domain: string) => c.delete<void>(`${path(name)}/domain/${encodeURIComponent(domain)}`),
})
