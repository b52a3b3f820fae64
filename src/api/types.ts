/** Controller wire types, shared by the client and the local controller (controller-api.md §5.1). */
export type Timestamp = string

export interface Page<T> {
  count: number
  next: string | null
  previous: string | null
  results: T[]
}

export interface User {
  username: string
  email: string
  first_name: string
  last_name: string
  is_superuser: boolean
  is_staff: boolean
  is_active: boolean
  last_login: Timestamp | null
  date_joined: Timestamp
  groups: number[]
  user_permissions: number[]
}

export interface App {
  uuid: string
  id: string
  owner: string
  structure: Record<string, number>
  procfile_structure?: Record<string, string | number>
  created: Timestamp
  updated: Timestamp
}

/** An SSH public key (`/v2/keys/`); `fingerprint` is the MD5 of the key blob as `aa:bb:…` (the SDK omits it). */
export interface Key {
  uuid: string
  owner: string
  created: Timestamp
  updated: Timestamp
  id: string
  public: string
  fingerprint: string
}

/** An app's collaborators (`GET /v2/apps/{app}/perms/`): the owner is not listed unless shared. */
export interface AppPerms {
  users: string[]
}

/** One administrator in `GET /v2/admin/perms/`. */
export interface AdminPerm {
  username: string
  is_superuser: boolean
}
