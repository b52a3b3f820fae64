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
