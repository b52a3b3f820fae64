/** Controller wire types, shared by the client and the local controller (controller-api.md §5.1). */
export type Timestamp = string

/** Process types as the controller accepts them: lowercase words joined by single hyphens. */
export const PROCESS_TYPE = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** DRF's limit/offset page; some servers leave `previous` out. */
export interface Page<T> {
  count: number
  next: string | null
  previous?: string | null
  results: T[]
}

/** How a paged list is read: `limit` items of the first page, or `all` pages. */
export type ListOptions = {limit?: number | undefined; all?: boolean | undefined}

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
export type ConfigChange = Partial<
  Record<'values' | 'memory' | 'cpu' | 'tags' | 'registry' | 'lifecycle_post_start' | 'lifecycle_pre_stop' | 'termination_grace_period', Record<string, string | null>>
> & {
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

/** A process (`/v2/apps/{app}/pods/`): `release` is `v<n>`; lists come as `{count, results}` without paging links. */
export interface Pod {
  name: string
  state: string
  release: string
  type: string
  started: Timestamp
}

export interface PodList {
  results: Pod[]
  count: number
}

/** A domain of an app (`/v2/apps/{app}/domains/`), stored in ACE form; it carries no certificate field. */
export interface Domain {
  owner: string
  created: Timestamp
  updated: Timestamp
  app: string
  domain: string
}

/** A TLS certificate (`/v2/certs/`); owned by a user, bound to apps through `domains`. The key is never sent back. */
export interface Certificate {
  id: number
  owner: string
  domains: string[]
  san: string[]
  created: Timestamp
  updated: Timestamp
  name: string
  common_name: string | null
  fingerprint: string
  expires: Timestamp
  starts: Timestamp
  issuer: string
  subject: string
}

export interface Autoscale {
  min: number
  max: number
  cpu_percent: number
}

/** An app's router and scaling settings (`/v2/apps/{app}/settings/`); each POST creates a new object. */
export interface AppSettings {
  uuid: string
  app: string
  owner: string
  autoscale: Record<string, Autoscale>
  label: Record<string, unknown>
  created: Timestamp
  updated: Timestamp
  maintenance: boolean
  routable: boolean
  whitelist: string[]
}

/** A settings POST: only what changes; a `null` autoscale entry or label removes it. */
export type AppSettingsChange = {
  maintenance?: boolean
  routable?: boolean
  whitelist?: string[]
  autoscale?: Record<string, Autoscale | null>
  label?: Record<string, unknown>
}

/** HTTPS enforcement (`/v2/apps/{app}/tls/`): `null` means never set, which behaves as false. */
export interface TLS {
  uuid: string
  app: string
  owner: string
  created: Timestamp
  updated: Timestamp
  https_enforced: boolean | null
}

/** The IP whitelist view over the app settings (`/v2/apps/{app}/whitelist/`). */
export interface Whitelist {
  addresses: string[]
}

/** What `POST /v2/apps/{app}/run` answers once the one-off process has ended. */
export interface RunResult {
  exit_code: number
  output: string
}
