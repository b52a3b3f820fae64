import {UsageError} from '../errors.js'

/** Characters an app id can hold on any Deis controller; anything else cannot name an app. */
const APP_ID_CHARS = /^[a-z0-9-]+$/

/** A new app's id as the controller accepts it: starts with a letter, no trailing hyphen. */
const NEW_APP_ID = /^[a-z]([a-z0-9-]*[a-z0-9])?$/

/** Certificate names: the controller's `^[a-z0-9-]+$`. */
const CERT_NAME = /^[a-z0-9-]+$/

/** Kubernetes label and node-selector keys: an optional DNS prefix and `/`, then 1-63 of `[A-Za-z0-9._-]`, alphanumeric at both ends. */
const K8S_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/

/** The app id from `-a`, DEIS_APP or a git remote, refused (exit 2) when it holds characters no app id has. */
export function checkAppId(id: string, from: string): string {
  if (APP_ID_CHARS.test(id)) return id
  throw new UsageError(`${JSON.stringify(id)} (from ${from}) cannot be an app name`, 'app names hold only a-z, 0-9 and hyphens; `deis apps:list` shows yours')
}

/** `apps:create <id>`: refused before any request unless the controller would accept it. */
export function checkNewAppId(id: string): string {
  if (NEW_APP_ID.test(id)) return id
  throw new UsageError(`${JSON.stringify(id)} cannot be an app name`, 'use a-z, 0-9 and hyphens, starting with a letter and not ending with a hyphen, e.g. example-app')
}

export function checkCertName(name: string): string {
  if (CERT_NAME.test(name)) return name
  throw new UsageError(`${JSON.stringify(name)} cannot be a certificate name`, 'use a-z, 0-9 and hyphens only, e.g. example-com')
}

/** A label or tag key: `labels:set 'x y=1'` is refused here instead of being stored with its space. */
export function checkKey(key: string, what: 'label' | 'tag'): string {
  if (K8S_KEY.test(key)) return key
  throw new UsageError(
    `${JSON.stringify(key)} cannot be a ${what} key`,
    `use 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, e.g. ${what === 'label' ? 'team=frontend' : 'rack=1'}`,
  )
}

/** Process types as the controller accepts them: lowercase words joined by single hyphens. */
const PROCESS_TYPE = /^[a-z0-9]+(-[a-z0-9]+)*$/

export function checkProcessType(type: string, flag = ''): string {
  if (PROCESS_TYPE.test(type)) return type
  throw new UsageError(`${JSON.stringify(type)}${flag ? ` (${flag})` : ''} cannot be a process type`, 'types are lowercase a-z, 0-9 and hyphens, as in the Procfile, e.g. web')
}

/** `ps:restart <target>`: a process type, or a process name from `ps:list` (`web.99` is neither). */
export function checkRestartTarget(target: string): string {
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(target)) return target
  throw new UsageError(`${JSON.stringify(target)} is neither a process type nor a process name`, 'give a type such as web, or a name from `deis ps:list`')
}
