import type {Reply} from './client.js'

/** What a failed answer means to the user: one line of what happened, one of how to fix it. */
export type Explained = {message: string; hint: string | undefined}

export type Sent = {method: string; path: string; controller: string}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The readable text of a JSON error body, or undefined when the body is not one. */
function jsonMessage(body: unknown): string | undefined {
  if (typeof body === 'string' && body !== '') return body
  if (Array.isArray(body) && body.length > 0) return body.map(String).join('\n')
  if (body && typeof body === 'object') {
    const lines: string[] = []
    for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
      const msgs = Array.isArray(value) ? value.map(v => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ') : typeof value === 'string' ? value : JSON.stringify(value)
      lines.push(field === 'detail' || field === 'non_field_errors' ? msgs : `${field}: ${msgs}`)
    }
    if (lines.length > 0) return lines.join('\n')
  }
  return undefined
}

/**
 * Turns a controller error body into one readable message: DRF `{"detail"}`, field errors
 * `{"field": ["msg"]}`, `non_field_errors`, bare JSON strings and arrays, HTML and plain text.
 */
export function apiErrorMessage(reply: Pick<Reply, 'status' | 'text' | 'headers'>): string {
  const text = reply.text.trim()
  const json = jsonMessage(parseBody(text))
  if (json !== undefined) return json
  const type = reply.headers['content-type'] ?? ''
  if (text && type.startsWith('text/plain') && text.length <= 500) return text
  return `${reply.status} ${statusText(reply.status)} from the controller`
}

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'error'
}

/** True for an HTML page: a web server, proxy or portal answered, not the controller's API. */
export function isHtml(reply: Pick<Reply, 'text' | 'headers'>): boolean {
  return (reply.headers['content-type'] ?? '').includes('html') || /^\s*<(!doctype|html|head|body)/i.test(reply.text)
}

const CHECK_CONTROLLER = 'if it persists, check the controller (`kubectl get pods -n deis` on a cluster, `deis local:status` for the local one)'

const GATEWAY: Record<number, string> = {
  502: 'a proxy or load balancer in front of the controller got no valid answer from it',
  503: 'the controller is not available right now (starting, overloaded, or its proxy has nothing to send the request to)',
  504: 'a proxy or load balancer in front of the controller gave up waiting for it',
}

/** The `-a <app>` of a path under `/v2/apps/<app>/`, when there is one. */
export function appOfPath(path: string): string | undefined {
  const m = /^\/v2\/apps\/([^/?]+)/.exec(path)
  return m ? decodeURIComponent(m[1]!) : undefined
}

const LIST_OF: Record<string, string> = {
  builds: 'builds:list',
  certs: 'certs:list',
  config: 'config:list',
  domains: 'domains:list',
  keys: 'keys:list',
  perms: 'perms:list',
  pods: 'ps:list',
  releases: 'releases:list',
  users: 'users:list',
  hooks: 'apps:info',
}

/** How to find the right name after a 404: the list command of what the path names. */
function notFoundHint(path: string): string | undefined {
  const parts = path.split('?')[0]!.split('/').filter(Boolean).slice(1)
  const app = appOfPath(path)
  if (app !== undefined) {
    const sub = parts[2]
    const list = sub ? LIST_OF[sub] : undefined
    if (list && parts.length > 3) return `check the app name with \`deis apps:list\` and the name with \`deis ${list} -a ${app}\``
    return 'check the app name with `deis apps:list`'
  }
  const list = LIST_OF[parts[0] ?? '']
  return list ? `check the name with \`deis ${list}\`` : undefined
}

const UNSET_LISTS: Record<string, string> = {
  values: 'config:list',
  autoscale: 'autoscale:list',
  label: 'labels:list',
  tags: 'tags:list',
  memory: 'limits:list',
  cpu: 'limits:list',
  registry: 'registry:list',
  healthcheck: 'healthchecks:list',
  whitelist: 'whitelist:list',
}

type Known = [RegExp, (app: string, m: RegExpExecArray, path: string) => string]

/** Fixes for the controller's own refusals that the status alone does not tell apart (its messages are stable API). */
const KNOWN: Known[] = [
  [/Container type (\S+) does not exist in application/, app => `scale a type the app's Procfile has; \`deis ps:list -a ${app}\` shows them`],
  [/livenessProbe successThreshold can only be 1/, () => 'a liveness probe takes --success-threshold 1 (the default)'],
  [/Could not load certificate/, () => 'the certificate file is not PEM: give it as PEM (-----BEGIN CERTIFICATE-----)'],
  [/Could not load private key/, () => 'the key file is not a PEM private key: give it unencrypted, as PEM (-----BEGIN PRIVATE KEY-----)'],
  [/Certificate and private key do not match/, () => "the key does not match the certificate: pass the private key made with this certificate's signing request"],
  // a rollout that did not become ready: the controller's own message already says what serves and where to look
  [/keeps serving, see |scale each process type to \d+ or fewer|so it serves one user only; /, () => ''],
  [/changed nothing/, () => 'it is already set that way; nothing to do'],
  [/already has a certificate attached/, () => 'detach the other one first: `deis certs:detach <cert> <domain>`'],
  [/still has applications assigned/, () => 'transfer them (`deis apps:transfer <username> -a <app>`) or destroy them first'],
  [/Cannot roll back to initial release|version cannot be below 0/, app => `there is no earlier release to go back to; \`deis releases:list -a ${app}\` shows them`],
  [/Public Key is already in use/, () => 'that key is uploaded already (by you or another user); `deis keys:list` shows yours'],
  [/does not exist (?:under|in) (\w+)/, (app, m) => `see what is set with \`deis ${UNSET_LISTS[m[1]!] ?? 'apps:info'} -a ${app}\``],
  [
    /No (App|Certificate|Domain|Key|Release|User|Build|Service) matches the given query|(Release) matching query does not exist/,
    (app, m) => {
      const what = m[1] ?? m[2]
      if (what === 'User') return 'check the username; `deis users:list` lists them (admins only)'
      if (what === 'App') return 'check the app name with `deis apps:list`'
      const list = {Certificate: 'certs:list', Domain: 'domains:list', Key: 'keys:list', Release: 'releases:list', Build: 'builds:list', Service: 'services:list'}[what!]
      return `check the name with \`deis ${list}${app && what !== 'Certificate' && what !== 'Key' ? ` -a ${app}` : ''}\``
    },
  ],
  [/already in use by another application/, () => 'remove it from the other app first (`deis domains:remove <domain> -a <other-app>`), or use another domain'],
  [/Hostname does not look valid/, () => 'give a host name such as www.example.com or *.example.com'],
  [/address .* is not valid/, () => 'give IP addresses or CIDR networks, comma separated, e.g. 10.0.0.1,192.168.0.0/24'],
  [/PORT needs to be set in the config when using a private registry/, app => `set it first: \`deis config:set PORT=<port> -a ${app}\``],
  [/PORT (can only be a numeric value|needs to be between)/, () => 'give the port the process listens on, from 1 to 65535'],
  [/No build associated with this release/, app => `deploy first: \`git push deis main\` or \`deis builds:create <image> -a ${app}\``],
  [/Unable to log in with provided credentials/, () => 'check the username and password; `deis register <controller>` creates an account'],
  [/with that username already exists/, () => 'choose another username, or log in with `deis login <controller>`'],
  [/Enter a valid username/, () => 'use letters, digits and @ . + - _ only'],
  [/Enter a valid email address/, () => 'give an address such as alice@example.com'],
  [
    /with this (?:id|name) already exists/,
    (_app, _m, path) =>
      `choose another name; \`deis ${path.startsWith('/v2/certs') ? 'certs:list' : path.startsWith('/v2/keys') ? 'keys:list' : 'apps:list'}\` shows the ones you can see`,
  ],
  [/Current password does not match/, () => 'give your current password with --password'],
  [
    /registration is (disabled|admin only)|Registration is disabled/i,
    () => 'ask an admin of the controller to register you (`deis register <controller>` while logged in as an admin)',
  ],
  [/No nodes matched the provided labels/, () => 'tag with labels your nodes carry (`kubectl get nodes --show-labels`)'],
  [/Process types can only contain/, () => 'types are lowercase a-z, 0-9 and hyphens, as in the Procfile'],
  [/Tag (?:keys|values) must be/, () => 'use 1-63 letters, digits, - _ or ., starting and ending with a letter or digit'],
]

function knownHint(message: string, sent: Sent): string | undefined {
  const app = appOfPath(sent.path) ?? ''
  for (const [pattern, hint] of KNOWN) {
    const m = pattern.exec(message)
    if (m) return hint(app, m, sent.path)
  }
  return undefined
}

/** The fix for a refusal the controller explained in JSON, by status; undefined when the message says it all. */
function refusalHint(status: number, sent: Sent, reply: Pick<Reply, 'headers'>, message: string): string | undefined {
  const known = knownHint(message, sent)
  if (known !== undefined) return known
  const app = appOfPath(sent.path)
  if (status === 403) {
    return app !== undefined
      ? `ask the owner of ${app} or an admin to give you access (\`deis perms:create <username> -a ${app}\`)`
      : 'this needs an admin account; ask an admin of the controller'
  }
  if (status === 404) return notFoundHint(sent.path)
  if (status === 405) return "the controller does not support this; check `deis version` against the controller's version"
  if (status === 413) return 'send less: the controller limits the size of a request'
  if (status === 429) {
    const wait = reply.headers['retry-after']
    return wait ? `wait ${wait}s and try again` : 'wait a few minutes and try again'
  }
  return undefined
}

/**
 * Explains a >= 400 answer other than 401: gateway errors (502/503/504) as the proxy in front of the
 * controller, 5xx as a fault of the controller (with its own words when it sent JSON), HTML pages as
 * something that is not the controller's API, and JSON refusals in the controller's words plus a fix.
 */
export function explainFailure(reply: Pick<Reply, 'status' | 'text' | 'headers'>, sent: Sent): Explained {
  const {status} = reply
  const plain = (reply.headers['content-type'] ?? '').startsWith('text/plain') && reply.text.trim().length <= 500 ? reply.text.trim() || undefined : undefined
  const json = jsonMessage(parseBody(reply.text.trim())) ?? plain
  const deis = reply.headers.deis_api_version !== undefined
  const code = `${status} ${statusText(status)}`
  if (GATEWAY[status]) {
    const own = json !== undefined && deis ? ` (${json})` : ''
    return {message: `${sent.controller} answered ${code}${own}: ${GATEWAY[status]}`, hint: `try again in a minute; ${CHECK_CONTROLLER}`}
  }
  if (status >= 500) {
    const said = json !== undefined ? `: ${json}` : isHtml(reply) ? ', an HTML error page' : ''
    return {
      message: `the controller failed on ${sent.method} ${sent.path.split('?')[0]} (${code}${said})`,
      hint: `this is a fault in the controller, not in what you sent; try again, and ${CHECK_CONTROLLER} and its log`,
    }
  }
  if (json === undefined && isHtml(reply)) {
    if (status === 404 && !deis) {
      return {
        message: `${sent.controller} answered ${sent.method} ${sent.path.split('?')[0]} with an HTML 404 page: this URL is not a Deis controller`,
        hint: 'check the controller URL in your profile, or log in again with `deis login <controller-url>`',
      }
    }
    if (status === 404)
      return {
        message: `the controller has no ${sent.method} ${sent.path.split('?')[0]} (404)`,
        hint: notFoundHint(sent.path) ?? "check `deis version` against the controller's version",
      }
    return {
      message: `${sent.controller} answered ${code} with an HTML page instead of a Deis API answer`,
      hint: 'check the controller URL in your profile and any proxy in between (HTTPS_PROXY, HTTP_PROXY)',
    }
  }
  const message = apiErrorMessage(reply)
  return {message, hint: refusalHint(status, sent, reply, message) ?? `check what you gave; \`deis help ${commandHelp(sent)}\` shows the usage`}
}

/** A topic to point at for usage help when nothing more specific is known. */
function commandHelp(sent: Sent): string {
  const parts = sent.path.split('?')[0]!.split('/').filter(Boolean)
  const topic = appOfPath(sent.path) !== undefined ? (parts[3] ?? 'apps') : (parts[1] ?? 'apps')
  return {settings: 'apps', pods: 'ps', scale: 'ps', admin: 'perms', auth: 'auth', label: 'labels'}[topic] ?? topic
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}
