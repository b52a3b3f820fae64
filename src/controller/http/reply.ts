import type {IncomingMessage, ServerResponse} from 'node:http'

/** The controller's version headers; the real controller sends them on every response. */
export const API_VERSION = '2.3'
export const PLATFORM_VERSION = '2.3.0'

const COMMON: Record<string, string> = {
  DEIS_API_VERSION: API_VERSION,
  DEIS_PLATFORM_VERSION: PLATFORM_VERSION,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'X-XSS-Protection': '1; mode=block',
}

const NOT_FOUND_HTML = `<!doctype html>
<html lang="en">
<head>
  <title>Not Found</title>
</head>
<body>
  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>
</body>
</html>
`

/** A reply a route hands back; the server writes it with the common headers. */
export type Reply = {status: number; body?: unknown; text?: string; type?: string; headers?: Record<string, string>}

/** Thrown anywhere in a route to answer with that status and body (DRF's APIException). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body))
  }
}

export const json = (status: number, body: unknown): Reply => ({status, body})
export const empty = (status: number): Reply => ({status})
export const detail = (status: number, message: string) => new HttpError(status, {detail: message})
/** DRF's field-error shape `{"field": ["msg"]}`. */
export const fieldError = (errors: Record<string, string[]>) => new HttpError(400, errors)
export const notFound = (model: string) => new HttpError(404, `No ${model} matches the given query.`)
export const forbidden = () => detail(403, 'You do not have permission to perform this action.')

export function writeReply(res: ServerResponse, reply: Reply, head = false): void {
  const headers: Record<string, string> = {...(reply.headers ?? {})}
  let payload: string | undefined
  if (reply.text !== undefined) {
    payload = reply.text
    headers['Content-Type'] = reply.type ?? 'text/plain'
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body)
    headers['Content-Type'] = 'application/json'
  }
  for (const [k, v] of Object.entries(COMMON)) headers[k] = v
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload))
  res.writeHead(reply.status, headers)
  res.end(head ? undefined : payload)
}

export function writeHtml404(res: ServerResponse): void {
  writeReply(res, {status: 404, text: NOT_FOUND_HTML, type: 'text/html'})
}

/** 413 for a body over `limit` bytes; the connection closes after it, since the rest of the body is never read. */
export const tooLarge = (limit: number) =>
  new HttpError(413, {detail: `Request body is larger than ${limit} bytes; send less, or start the controller with a larger --max-body.`}, {Connection: 'close'})

/** The body's bytes, refused with a 413 as soon as they pass `limit` (before any is read when Content-Length says so). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        // stop listening but leave the stream alone: destroying an unfinished request would destroy the socket before the 413
        req.off('data', onData).pause()
        chunks.length = 0
        reject(tooLarge(limit))
      } else {
        chunks.push(chunk)
      }
    }
    req.on('data', onData)
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
  })
}

/** Reads a request body of at most `limit` bytes; an empty body is `{}` as DRF parses it, malformed JSON a 400 with DRF's text. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = (await readBody(req, limit)).toString('utf8')
  if (raw.trim() === '') return {}
  const type = req.headers['content-type'] ?? 'application/json'
  if (!type.includes('json')) throw detail(415, `Unsupported media type "${type}" in request.`)
  try {
    return JSON.parse(raw)
  } catch (error) {
    throw detail(400, `JSON parse error - ${(error as Error).message}`)
  }
}
