import type {Client} from './client.js'
import type {AdminPerm, AppPerms, ListOptions, Page} from './types.js'

const appPath = (app: string) => `/v2/apps/${encodeURIComponent(app)}/perms/`

export const perms = (c: Client) => ({
  /** The app's collaborators; the owner is not among them unless shared. */
  list: (app: string) => c.get<AppPerms>(appPath(app)),
  /** Shares the app; the controller answers 201 with an empty body. */
  create: (app: string, username: string) => c.post<void>(appPath(app), {username}),
  remove: (app: string, username: string) => c.delete<void>(`${appPath(app)}${encodeURIComponent(username)}`),
  listAdmins: (opts: ListOptions) => c.list<AdminPerm>('/v2/admin/perms/', opts) as Promise<Page<AdminPerm>>,
  createAdmin: (username: string) => c.post<void>('/v2/admin/perms/', {username}),
  removeAdmin: (username: string) => c.delete<void>(`/v2/admin/perms/${encodeURIComponent(username)}`),
})
