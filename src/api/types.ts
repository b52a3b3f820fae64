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

/** A Kubernetes probe subset as the controller validates it (controller-api §4.8). */
export interface Probe {
  exec?: {command: string[]}
  httpGet?: {path?: string; port: number; host?: string; scheme?: string; httpHeaders?: Array<{name: string; value: string}>}
  tcpSocket?: {port: number}
  initialDelaySeconds?: number
  timeoutSeconds?: number
  periodSeconds?: number
  successThreshold?: number
  failureThreshold?: number
}

export type Healthchecks = Record<string, {livenessProbe?: Probe; readinessProbe?: Probe}>

/** An app's config (`/v2/apps/{app}/config/`): every map value is a string except `healthcheck`. */
export interface Config {
  uuid: string
  app: string
  owner: string
  values: Record<string, string>
  memory: Record<string, string>
  lifecycle_post_start: Record<string, string>
  lifecycle_pre_stop: Record<string, string>
  cpu: Record<string, string>
  tags: Record<string, string>
  registry: Record<string, string>
  healthcheck: Healthchecks
  termination_grace_period: Record<string, string>
  created: Timestamp
  updated: Timestamp
}

/** A config POST: any subset of the maps; a `null` value unsets that key. */
export type ConfigChange = Partial<Record<'values' | 'memory' | 'cpu' | 'tags' | 'registry' | 'lifecycle_post_start' | 'lifecycle_pre_stop' | 'termination_grace_period', Record<string, string | null>>> & {
  healthcheck?: Record<string, Record<string, Probe | null> | null>
}

/** A build (`/v2/apps/{app}/builds/`): `sha` is `""` for image builds. */
export interface Build {
  owner: string
  app: string
  image: string
  sha: string
  procfile: Record<string, string>
  dockerfile: string
  created: Timestamp
  updated: Timestamp
  uuid: string
}

/** A release (`/v2/apps/{app}/releases/`); `config`/`build` are uuids, `build` null before the first deploy. */
export interface Release {
  uuid: string
  app: string
  owner: string
  created: Timestamp
  updated: Timestamp
  version: number
  summary: string
  failed: boolean
  exception: string | null
  config: string
  build: string | null
}
