import {appOfPath} from './error-body.js'

/** Every request is tried at most this many times (the first try included). */
export const MAX_ATTEMPTS = 3

/** The longest Retry-After the client waits for; a longer one is cut to this. */
export const MAX_RETRY_AFTER_MS = 10_000

/** Answers worth asking again: the gateway in front of the controller, not the controller's own verdict. */
export const RETRY_STATUSES = new Set([502, 503, 504])

/** Only these can be sent twice without changing anything twice (RFC 9110 §9.2.2, minus the ones we never send). */
export function idempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD'
}

/**
 * How long to wait before try `attempt + 1`: the server's Retry-After (seconds or an HTTP date, at
 * most MAX_RETRY_AFTER_MS), else exponential backoff from 250 ms with full jitter, so many clients
 * hit by one outage do not come back in step.
 */
export function retryDelay(attempt: number, retryAfter: string | undefined, now = Date.now(), random = Math.random): number {
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const value = retryAfter.trim()
    const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS)
  }
  const ceiling = 250 * 2 ** (attempt - 1)
  return Math.round(ceiling / 2 + random() * ceiling)
}

type Check = (app: string) => string

/** The command that shows whether a change to `/v2/apps/<app>/<sub>/…` went through. */
const APP_CHECKS: Record<string, Check> = {
  builds: app => `deis releases:list -a ${app}`,
  certs: app => `deis certs:list -a ${app}`,
  config: app => `deis config:list -a ${app}`,
  domains: app => `deis domains:list -a ${app}`,
  perms: app => `deis perms:list -a ${app}`,
  pods: app => `deis ps:list -a ${app}`,
  releases: app => `deis releases:list -a ${app}`,
  run: app => `deis logs -a ${app}`,
  scale: app => `deis ps:list -a ${app}`,
  tls: app => `deis tls:info -a ${app}`,
  whitelist: app => `deis whitelist:list -a ${app}`,
}

const SETTING_CHECKS: Record<string, Check> = {
  autoscale: app => `deis autoscale:list -a ${app}`,
  label: app => `deis labels:list -a ${app}`,
  maintenance: app => `deis maintenance:info -a ${app}`,
  routable: app => `deis routing:info -a ${app}`,
  whitelist: app => `deis whitelist:list -a ${app}`,
}

const TOP_CHECKS: Record<string, string> = {
  apps: 'deis apps:list',
  auth: 'deis auth:whoami',
  certs: 'deis certs:list',
  keys: 'deis keys:list',
  admin: 'deis perms:list --admin',
  users: 'deis users:list',
}

/**
 * The command to run before trying a change again whose answer was lost, so it is not applied twice;
 * settings changes are told apart by the key they send.
 */
export function howToCheck(path: string, body: unknown): string {
  const app = appOfPath(path)
  const parts = path.split('?')[0]!.split('/').filter(Boolean)
  if (app !== undefined) {
    const sub = parts[3]
    if (sub === undefined) return 'deis apps:list'
    if (sub === 'settings' && body && typeof body === 'object') {
      const key = Object.keys(body).find(k => SETTING_CHECKS[k])
      if (key) return SETTING_CHECKS[key]!(app)
    }
    const check = APP_CHECKS[sub]
    return check ? check(app) : `deis apps:info -a ${app}`
  }
  return TOP_CHECKS[parts[1] ?? ''] ?? 'the matching list or info command'
}
