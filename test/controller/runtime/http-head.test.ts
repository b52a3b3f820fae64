import {describe, expect, it} from 'vitest'
import {headEnd, hostName, parseRequestHead, ResponseFramer, type RequestHead} from '../../../src/controller/runtime/http-head.js'

const head = (text: string) => parseRequestHead(text) as RequestHead

describe('request head parser', () => {
  it('reads the request line, Host, Content-Length and keeps the other headers in order', () => {
    const h = head('POST /a?b=1 HTTP/1.1\r\nHost: Example-App.localhost:8080\r\nContent-Length: 3\r\nX-Forwarded-For: 10.0.0.1\r\nX-Real-IP: 1.2.3.4\r\nAccept: */*')
    expect(h).toMatchObject({method: 'POST', target: '/a?b=1', host: 'Example-App.localhost:8080', contentLength: 3, open: false, close: false, forwardedFor: '10.0.0.1'})
    expect(h.kept).toEqual(['POST /a?b=1 HTTP/1.1', 'Host: Example-App.localhost:8080', 'Content-Length: 3', 'Accept: */*'])
    expect(hostName(h.host)).toBe('example-app.localhost')
  })

  it('joins folded lines to the header before them with one space', () => {
    const h = head('GET / HTTP/1.1\r\nHost: a.localhost\r\nX-Long: one\r\n  two\r\n\tthree')
    expect(h.kept).toEqual(['GET / HTTP/1.1', 'Host: a.localhost', 'X-Long: one two three'])
    expect(parseRequestHead('GET / HTTP/1.1\r\n folded-first\r\nHost: a')).toEqual({status: 400, reason: 'folded line before any header'})
    // a folded Host is read whole, so it cannot name one app to the router and another to the app
    expect(head('GET / HTTP/1.1\r\nHost: a.localhost\r\n b.localhost').host).toBe('a.localhost b.localhost')
  })

  it('refuses two Host headers, conflicting Content-Lengths, whitespace before a colon and a missing Host', () => {
    expect(parseRequestHead('GET / HTTP/1.1\r\nHost: a.localhost\r\nHost: b.localhost')).toEqual({status: 400, reason: 'more than one Host header'})
    expect(parseRequestHead('GET / HTTP/1.1\r\nhost: a.localhost\r\nHOST: a.localhost')).toMatchObject({status: 400})
    expect(parseRequestHead('GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4')).toEqual({status: 400, reason: 'bad Content-Length'})
    expect(parseRequestHead('GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1')).toEqual({status: 400, reason: 'bad Content-Length'})
    expect(head('GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3').contentLength).toBe(3)
    expect(parseRequestHead('GET / HTTP/1.1\r\nHost : a')).toEqual({status: 400, reason: 'bad header line'})
    expect(parseRequestHead('GET / HTTP/1.1\r\nno colon here')).toEqual({status: 400, reason: 'bad header line'})
    expect(parseRequestHead('GET / HTTP/1.1\r\nAccept: */*')).toEqual({status: 400, reason: 'no Host header'})
    expect(head('GET / HTTP/1.0').host).toBeUndefined()
  })

  it('refuses bad request lines and answers 501 to other HTTP versions', () => {
    expect(parseRequestHead('GET /\r\nHost: a')).toMatchObject({status: 400})
    expect(parseRequestHead('GET  / HTTP/1.1\r\nHost: a')).toMatchObject({status: 400})
    expect(parseRequestHead('G(T / HTTP/1.1\r\nHost: a')).toMatchObject({status: 400})
    expect(parseRequestHead('GET / HTTP/2.0\r\nHost: a')).toEqual({status: 501, reason: 'unsupported HTTP version'})
    expect(head('\r\n\r\nGET / HTTP/1.1\r\nHost: a').method).toBe('GET')
  })

  it('lets an absolute-form target name the app: its authority replaces Host, and the target becomes origin-form', () => {
    const h = head('GET http://B.localhost:8080/x?y=1 HTTP/1.1\r\nHost: a.localhost\r\nAccept: */*')
    expect(h).toMatchObject({host: 'B.localhost:8080', target: '/x?y=1'})
    expect(h.kept).toEqual(['GET /x?y=1 HTTP/1.1', 'Host: B.localhost:8080', 'Accept: */*'])
    expect(head('GET https://b.localhost HTTP/1.1').kept).toEqual(['GET / HTTP/1.1', 'Host: b.localhost'])
    expect(head('GET http://b.localhost?q HTTP/1.1\r\nHost: a').target).toBe('/?q')
    expect(parseRequestHead('GET http://user@b.localhost/ HTTP/1.1\r\nHost: a')).toMatchObject({status: 400})
    expect(parseRequestHead('GET http:/// HTTP/1.1\r\nHost: a')).toMatchObject({status: 400})
    expect(parseRequestHead('GET http://b.localhost/ HTTP/1.1\r\nHost: a\r\nHost: c')).toEqual({status: 400, reason: 'more than one Host header'})
  })

  it('marks bodies of unknown length, upgrades and CONNECT as tunnels, and reads Connection', () => {
    expect(head('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked').open).toBe(true)
    expect(head('GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade').open).toBe(true)
    expect(head('CONNECT a:443 HTTP/1.1\r\nHost: a').open).toBe(true)
    expect(head('GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close').close).toBe(true)
    expect(head('GET / HTTP/1.0\r\nConnection: Keep-Alive').close).toBe(false)
    expect(head('GET / HTTP/1.0').close).toBe(true)
  })

  it('finds the end of a head, and says when one is too large', () => {
    const buf = Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\nrest')
    expect(headEnd(buf, 1000)).toBe(buf.indexOf('\r\n\r\n'))
    expect(headEnd(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n'), 1000)).toBe(-1)
    expect(headEnd(Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(2000)}`), 1000)).toBe(-2)
    expect(headEnd(Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(2000)}\r\n\r\n`), 1000)).toBe(-2)
  })
})

describe('response framer', () => {
  const framer = (...methods: string[]) => {
    const f = new ResponseFramer()
    for (const m of methods) f.sent(m)
    return f
  }

  it('counts answers with a length, across chunks and several in one chunk', () => {
    const f = framer('GET', 'GET', 'GET')
    expect(f.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel'))).toBe(0)
    expect(f.feed(Buffer.from('loHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n'))).toBe(2)
    expect(f.pending).toBe(1)
    expect(f.feed(Buffer.from('\r\nno'))).toBe(1)
    expect(f.pending).toBe(0)
  })

  it('follows chunked bodies with extensions and trailers', () => {
    const f = framer('GET', 'GET')
    const body = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n'
    expect(f.feed(Buffer.from(body.slice(0, 60)))).toBe(0)
    expect(f.feed(Buffer.from(body.slice(60) + body))).toBe(2)
  })

  it('knows HEAD, 204 and 304 answers have no body, and skips interim 1xx answers', () => {
    const f = framer('HEAD', 'GET', 'GET', 'POST')
    expect(f.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n'))).toBe(3)
    expect(f.feed(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx'))).toBe(1)
    expect(f.pending).toBe(0)
  })

  it('reads an answer without a length until the connection closes, and a 101 as a tunnel', () => {
    const f = framer('GET')
    expect(f.feed(Buffer.from('HTTP/1.0 200 OK\r\n\r\nbody'))).toBe(0)
    expect(f.untilClose).toBe(true)
    const g = framer('GET')
    g.feed(Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'))
    expect(g.untilClose).toBe(true)
    expect(g.pendingMethods()).toEqual(['GET'])
  })
})
