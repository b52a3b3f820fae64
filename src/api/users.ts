import type {Client} from './client.js'
import type {User} from './types.js'

export const users = (c: Client) => ({
  list: (opts: {limit?: number | undefined; all?: boolean | undefined}) => c.list<User>('/v2/users/', opts),
})
