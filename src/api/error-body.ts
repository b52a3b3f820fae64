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
  builds: 'builds:list', certs: 'certs:list', config: 'config:list', domains: 'domains:list', keys: 'keys:list',
  perms: 'perms:list', pods: 'ps:list', releases: 'releases:list', users: 'users:list', hooks: 'apps:info',
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

/** The fix for a refusal the controller explained in JSON, by status; undefined when the message says it all. */
function refusalHint(status: number, sent: Sent, reply: Pick<Reply, 'headers'>): string | undefined {
  const app = appOfPath(sent.path)
  if (status === 403) {
    return app !== undefined
      ? `ask the owner of ${app} or an admin to give you access (\`deis perms:create <username> -a ${app}\`)`
      : 'this needs an admin account; ask an admin of the controller'
  }
  if (status === 404) return notFoundHint(sent.path)
  if (status === 405) return 'the controller does not support this; check `deis version` against the controller\'s version'
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
  const json = jsonMessage(parseBody(reply.text.trim()))
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
    if (status === 404) return {message: `the controller has no ${sent.method} ${sent.path.split('?')[0]} (404)`, hint: notFoundHint(sent.path) ?? 'check `deis version` against the controller\'s version'}
    return {
      message: `${sent.controller} answered ${code} with an HTML page instead of a Deis API answer`,
      hint: 'check the controller URL in your profile and any proxy in between (HTTPS_PROXY, HTTP_PROXY)',
    }
  }
  return {message: apiErrorMessage(reply), hint: refusalHint(status, sent, reply)}
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
}
