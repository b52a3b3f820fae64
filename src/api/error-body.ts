import type {Reply} from './client.js'

/**
 * Turns a controller error body into one readable message: DRF `{"detail"}`, field errors
 * `{"field": ["msg"]}`, `non_field_errors`, bare JSON strings and arrays, HTML and plain text.
 */
export function apiErrorMessage(reply: Pick<Reply, 'status' | 'text' | 'headers'>): string {
  const text = reply.text.trim()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (typeof body === 'string' && body !== '') return body
  if (Array.isArray(body)) return body.map(String).join('\n')
  if (body && typeof body === 'object') {
    const lines: string[] = []
    for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
      const msgs = Array.isArray(value) ? value.map(v => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ') : typeof value === 'string' ? value : JSON.stringify(value)
      lines.push(field === 'detail' || field === 'non_field_errors' ? msgs : `${field}: ${msgs}`)
    }
    if (lines.length > 0) return lines.join('\n')
  }
  const type = reply.headers['content-type'] ?? ''
  if (text && type.startsWith('text/plain') && text.length <= 500) return text
  return `${reply.status} ${STATUS_TEXT[reply.status] ?? 'error'} from the controller`
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 422: 'Unprocessable Entity', 500: 'Internal Server Error', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout',
}
