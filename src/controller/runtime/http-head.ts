/**
 * HTTP/1.x message heads as the router needs them (RFC 9112), with no I/O: a request head parser
 * and a response framer that tells where each answer ends, so requests on one connection can go
 * to different apps and pipelined answers stay in order.
 */

/** A request head: what the router checks, and the lines it forwards. */
export type RequestHead = {
  method: string
  /** The target in origin form (`/path?q`); an absolute-form target is rewritten to this. */
  target: string
  /** The authority the request is for: an absolute-form target's, else the Host header's. */
  host: string | undefined
  /** Body length from Content-Length (0 when absent). */
  contentLength: number
  /** Transfer-Encoding or Upgrade (or CONNECT): the rest of the connection becomes a tunnel. */
  open: boolean
  /** `Connection: close`, or HTTP/1.0 without `keep-alive`. */
  close: boolean
  /** The client's X-Forwarded-For, extended upstream. */
  forwardedFor: string | undefined
  /** The request line and headers to forward, without the ones the router sets itself. */
  kept: string[]
}

/** Why a head cannot be served: the status to answer with (the connection closes after it). */
export type HeadError = {status: 400 | 431 | 501; reason: string}

const CRLF2 = Buffer.from('\r\n\r\n')
const CRLF = Buffer.from('\r\n')
const CONTENT_LENGTH = Buffer.from('\r\nContent-Length:')
const TRANSFER = Buffer.from('ransfer-')
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const ABSOLUTE = /^https?:\/\//i

/**
 * Where the head at the start of `buf` ends (the index of its blank line's CRLFCRLF), -1 when
 * more bytes are needed, or -2 when more than `max` bytes came without one (431).
 */
export function headEnd(buf: Buffer, max: number): number {
  const end = buf.indexOf(CRLF2)
  if (end >= 0) return end <= max ? end : -2
  return buf.length > max ? -2 : -1
}

/** Splits an absolute-form target into its authority and origin-form path (RFC 9112 §3.2.2). */
function absoluteTarget(target: string): {authority: string; path: string} | undefined {
  const rest = target.slice(target.indexOf('//') + 2)
  let cut = rest.length
  for (const c of ['/', '?', '#']) {
    const i = rest.indexOf(c)
    if (i >= 0 && i < cut) cut = i
  }
  const authority = rest.slice(0, cut)
  if (!authority || authority.includes('@')) return undefined
  const path = rest.slice(cut)
  return {authority, path: path.startsWith('/') ? path : `/${path}`}
}

/** Parses a request head (the text before its blank line, read as latin1). */
export function parseRequestHead(text: string): RequestHead | HeadError {
  const lines = text.split('\r\n')
  // a server should ignore empty lines before the request line (RFC 9112 §2.2)
  let first = 0
  while (first < lines.length - 1 && lines[first] === '') first++
  const line = lines[first]!
  const sp1 = line.indexOf(' ')
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1)
  if (sp1 <= 0 || sp2 <= sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0) return {status: 400, reason: 'bad request line'}
  const method = line.slice(0, sp1)
  let target = line.slice(sp1 + 1, sp2)
  const version = line.slice(sp2 + 1)
  if (!TOKEN.test(method)) return {status: 400, reason: 'bad method'}
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0')
    return version.startsWith('HTTP/') ? {status: 501, reason: 'unsupported HTTP version'} : {status: 400, reason: 'bad request line'}
  let authority: string | undefined
  if (ABSOLUTE.test(target)) {
    const abs = absoluteTarget(target)
    if (!abs) return {status: 400, reason: 'bad absolute-form target'}
    authority = abs.authority
    target = abs.path
  }
  const head: RequestHead = {
    method,
    target,
    host: authority,
    contentLength: 0,
    open: method === 'CONNECT',
    close: version === 'HTTP/1.0',
    forwardedFor: undefined,
    kept: [authority ? `${method} ${target} ${version}` : line],
  }
  // obs-fold continuation lines are joined to the header before them with one space (RFC 9112 §5.2)
  const fields: string[] = []
  for (let i = first + 1; i < lines.length; i++) {
    const l = lines[i]!
    if (l[0] === ' ' || l[0] === '\t') {
      if (fields.length === 0) return {status: 400, reason: 'folded line before any header'}
      fields[fields.length - 1] = `${fields.at(-1)!.trimEnd()} ${l.trim()}`
    } else {
      fields.push(l)
    }
  }
  let hosts = 0
  let length: string | undefined
  for (const field of fields) {
    const colon = field.indexOf(':')
    const name = colon > 0 ? field.slice(0, colon) : ''
    // whitespace between the name and the colon must be rejected (RFC 9112 §5.1)
    if (!TOKEN.test(name)) return {status: 400, reason: 'bad header line'}
    const value = field.slice(colon + 1).trim()
    switch (name.toLowerCase()) {
      case 'host':
        hosts++
        if (hosts > 1) return {status: 400, reason: 'more than one Host header'}
        if (authority !== undefined) {
          // the absolute-form target's authority wins: Host is replaced by it
          head.kept.push(`Host: ${authority}`)
          continue
        }
        head.host = value
        break
      case 'content-length':
        if (!/^\d+$/.test(value) || (length !== undefined && length !== value)) return {status: 400, reason: 'bad Content-Length'}
        length = value
        head.contentLength = Number(value)
        break
      case 'transfer-encoding':
      case 'upgrade':
        head.open = true
        break
      case 'connection':
        if (/(^|,)\s*close\s*(,|$)/i.test(value)) head.close = true
        else if (/(^|,)\s*keep-alive\s*(,|$)/i.test(value)) head.close = false
        break
      case 'x-forwarded-for':
        head.forwardedFor = head.forwardedFor ? `${head.forwardedFor}, ${value}` : value
        continue
      case 'x-forwarded-proto':
      case 'x-forwarded-port':
      case 'x-real-ip':
        continue
    }
    head.kept.push(field)
  }
  if (authority !== undefined && hosts === 0) head.kept.push(`Host: ${authority}`)
  if (head.host === undefined && version === 'HTTP/1.1') return {status: 400, reason: 'no Host header'}
  return head
}

/** Host without the port, lower-cased, without a trailing dot. */
export function hostName(host: string | undefined): string {
  const h = (host ?? '').trim().toLowerCase()
  const bare = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '')
  return bare.replace(/\.$/, '')
}

type FrameState = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'trailers' | 'close' | 'tunnel'

/**
 * Follows the answers on one upstream connection and counts those that are complete. It is told
 * each request's method (HEAD answers have no body) and reads Content-Length, chunked bodies and
 * 1xx answers; an answer without a length ends with the connection, a 101 makes it a tunnel.
 */
export class ResponseFramer {
  private state: FrameState = 'head'
  private left = 0
  private partial: Buffer | undefined
  private readonly methods: string[] = []

  /** A request went upstream. */
  sent(method: string): void {
    this.methods.push(method)
  }

  /** Requests sent whose answers have not ended yet. */
  get pending(): number {
    return this.methods.length
  }

  /** The methods of the requests still waiting for their answers, oldest first. */
  pendingMethods(): string[] {
    return [...this.methods]
  }

  /** True once answers run until the connection closes (no length, or a protocol switch). */
  get untilClose(): boolean {
    return this.state === 'close' || this.state === 'tunnel'
  }

  /** Reads a chunk of the upstream's bytes; returns how many answers ended in it. */
  feed(data: Buffer): number {
    let done = 0
    let at = 0
    if (this.partial) {
      data = Buffer.concat([this.partial, data])
      this.partial = undefined
    }
    while (at < data.length) {
      switch (this.state) {
        case 'close':
        case 'tunnel':
          return done
        case 'length': {
          const n = Math.min(this.left, data.length - at)
          this.left -= n
          at += n
          if (this.left === 0) {
            this.state = 'head'
            this.methods.shift()
            done++
          }
          break
        }
        case 'chunk-data': {
          const n = Math.min(this.left, data.length - at)
          this.left -= n
          at += n
          if (this.left === 0) this.state = 'chunk-size'
          break
        }
        case 'head':
        case 'chunk-size':
        case 'trailers': {
          const stop = this.state === 'head' ? data.indexOf(CRLF2, at) : data.indexOf(CRLF, at)
          if (stop < 0) {
            this.partial = Buffer.from(data.subarray(at))
            return done
          }
          if (this.state === 'head') {
            const head = data.subarray(at, stop)
            at = stop + 4
            if (this.answer(head)) done++
            break
          }
          const text = data.toString('latin1', at, stop)
          at = stop + 2
          if (this.state === 'chunk-size') {
            const size = Number.parseInt(text.split(';')[0]!.trim(), 16)
            if (Number.isNaN(size)) {
              this.state = 'close'
              return done
            }
            // each chunk's data is followed by CRLF, read as two more data bytes
            if (size === 0) this.state = 'trailers'
            else [this.state, this.left] = ['chunk-data', size + 2]
          } else if (text === '') {
            this.state = 'head'
            this.methods.shift()
            done++
          }
          break
        }
      }
    }
    return done
  }

  /** Reads one answer head (without its blank line); true when the answer is complete with it (no body). */
  private answer(head: Buffer): boolean {
    const status = (head[9]! - 48) * 100 + (head[10]! - 48) * 10 + (head[11]! - 48)
    if (status === 101) {
      this.state = 'tunnel'
      return false
    }
    // interim answers (100 Continue, 103) precede the final one for the same request
    if (status >= 100 && status < 200) return false
    const method = this.methods[0]
    if (method === 'HEAD' || status === 204 || status === 304) {
      this.methods.shift()
      return true
    }
    let length = -1
    let chunked = false
    // the common spellings are found without making a string of the head
    const known = head.indexOf(CONTENT_LENGTH)
    if (known >= 0 && head.indexOf(TRANSFER) < 0) length = digits(head, known + 17)
    else [length, chunked] = this.framing(head.toString('latin1'))
    if (chunked) {
      this.state = 'chunk-size'
      return false
    }
    if (length < 0 || Number.isNaN(length)) {
      this.state = 'close'
      return false
    }
    if (length === 0) {
      this.methods.shift()
      return true
    }
    this.state = 'length'
    this.left = length
    return false
  }

  /** Content-Length (-1 when absent) and whether the body is chunked, from any spelling of the names. */
  private framing(text: string): [number, boolean] {
    let length = -1
    let chunked = false
    for (let at = text.indexOf('\r\n') + 2; at > 1 && at < text.length;) {
      let eol = text.indexOf('\r\n', at)
      if (eol < 0) eol = text.length
      const c = text.charCodeAt(at) | 0x20
      if (c === 0x63 && text.charCodeAt(at + 14) === 0x3a && text.slice(at, at + 14).toLowerCase() === 'content-length') {
        length = Number(text.slice(at + 15, eol).trim())
      } else if (c === 0x74 && text.charCodeAt(at + 17) === 0x3a && text.slice(at, at + 17).toLowerCase() === 'transfer-encoding') {
        chunked = /chunked\s*$/i.test(text.slice(at + 18, eol))
      }
      at = eol + 2
    }
    return [length, chunked]
  }
}

/** The decimal number at `at` in `buf` after optional spaces, up to the line's end; NaN when it is not one. */
function digits(buf: Buffer, at: number): number {
  while (buf[at] === 0x20 || buf[at] === 0x09) at++
  let n = 0
  let seen = false
  for (; at < buf.length; at++) {
    const c = buf[at]!
    if (c >= 0x30 && c <= 0x39) {
      n = n * 10 + (c - 0x30)
      seen = true
    } else if (c === 0x0d || c === 0x20 || c === 0x09) {
      break
    } else {
      return Number.NaN
    }
  }
  return seen ? n : Number.NaN
}
