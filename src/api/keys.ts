import type {Client} from './client.js'
import type {Key, ListOptions, Page} from './types.js'

/** `/v2/keys/{id}` takes no trailing slash: the controller's id pattern is "anything". */
const keyPath = (id: string) => `/v2/keys/${encodeURIComponent(id)}`

export const keys = (c: Client) => ({
  /** The caller's own keys (admins see only theirs too), ordered by public-key text. */
  list: (opts: ListOptions) => c.list<Key>('/v2/keys/', opts) as Promise<Page<Key>>,
  create: (id: string, publicKey: string) => c.post<Key>('/v2/keys/', {id, public: publicKey}),
  get: (id: string) => c.get<Key>(keyPath(id)),
  remove: (id: string) => c.delete<void>(keyPath(id)),
})
