import type {Client} from './client.js'
import type {ListOptions, User} from './types.js'

export const users = (c: Client) => ({
  list: (opts: ListOptions) => c.list<User>('/v2/users/', opts),
})
