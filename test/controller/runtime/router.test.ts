import {createServer, type Server} from 'node:http'
import {connect, type AddressInfo, type Socket} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startRouter, type Route, type RouterHandle} from '../../../src/controller/runtime/router.js'
import {until} from '../../e2e/runtime/helpers.js'

/** A real app process stand-in: answers `<name> <path> <host>`; `/slow` answers after 300 ms. */
function app(name: string): Promise<Server> {
  const server = createServer((req, res) => {
    const answer = () => res.end(`${name} ${req.url} ${req.headers.host}`)
    if (req.url === '/slow') setTimeout(answer, 300)
    else answer()
  })
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)))
}

/** A raw client connection that collects everything the router sends back. */
function client(port: number): {socket: Socket; text: () => string; bodies: () => string[]} {
  const socket = connect(port, '127.0.0.1')
  let raw = ''
  socket.setEncoding('latin1').on('data', d => (raw += d))
  const bodies = () =>
    raw
      .split(/HTTP\/1\.1 /)
      .slice(1)
      .map(answer => `${answer.slice(0, 3)} ${answer.slice(answer.indexOf('\r\n\r\n') + 4)}`)
  return {socket, text: () => raw, bodies}
}

const get = (host: string, path = '/') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`

describe('router: each request on its own', () => {
  let router: RouterHandle
  const servers: Server[] = []
  const ports = new Map<string, number>()
  const routes = new Map<string, Route>()

  beforeAll(async () => {
    for (const name of ['a', 'b']) {
      const server = await app(name)
      servers.push(server)
      ports.set(name, (server.address() as AddressInfo).port)
      routes.set(`${name}.localhost`, {app: name, maintenance: false, whitelist: [], httpsEnforced: false})
    }
    router = await startRouter({
      httpPort: 0,
      httpsPort: 0,
      resolve: name => routes.get(name),
      backends: name => (ports.has(name) ? [ports.get(name)!] : []),
      certificate: () => undefined,
    })
  })
  afterAll(async () => {
    await router.close()
    for (const s of servers) {
      s.closeAllConnections()
      await new Promise(resolve => s.close(resolve))
    }
  })

  it('routes each request on a kept-alive connection by its own Host', async () => {
    const c = client(router.httpPort)
    for (const [i, host] of ['a.localhost', 'b.localhost', 'a.localhost'].entries()) {
      c.socket.write(get(host, `/${i}`))
      await until(() => c.bodies().length === i + 1, `answer ${i + 1}`)
    }
    expect(c.bodies()).toEqual(['200 a /0 a.localhost', '200 b /1 b.localhost', '200 a /2 a.localhost'])
    expect(c.socket.destroyed).toBe(false)
    c.socket.destroy()
  })

  it('answers pipelined requests in order, across apps and refusals', async () => {
    const c = client(router.httpPort)
    c.socket.write(get('a.localhost', '/slow') + get('b.localhost', '/1') + get('nobody.localhost', '/2') + get('a.localhost', '/3') + get('a.localhost', '/4'))
    await until(() => c.bodies().length === 5, 'five answers')
    const answers = c.bodies()
    expect(answers[2]).toMatch(/^404 <html>/)
    expect(answers.filter((_, i) => i !== 2)).toEqual(['200 a /slow a.localhost', '200 b /1 b.localhost', '200 a /3 a.localhost', '200 a /4 a.localhost'])
    c.socket.destroy()
  })

  it('lets an absolute-form target win over Host', async () => {
    const c = client(router.httpPort)
    c.socket.write('GET http://b.localhost/x?y=1 HTTP/1.1\r\nHost: a.localhost\r\n\r\n')
    await until(() => c.bodies().length === 1, 'the answer')
    expect(c.bodies()).toEqual(['200 b /x?y=1 b.localhost'])
    c.socket.destroy()
  })

  it('answers 400 to two Host headers and closes the connection', async () => {
    const c = client(router.httpPort)
    c.socket.write('GET / HTTP/1.1\r\nHost: a.localhost\r\nHost: b.localhost\r\n\r\n')
    await until(() => c.socket.readyState === 'closed' || c.socket.destroyed, 'the connection to close')
    expect(c.bodies()).toHaveLength(1)
    expect(c.text()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[^]*Connection: close\r\n/)
  })

  it('answers 431 to an oversized head and 400 to a malformed one', async () => {
    const big = client(router.httpPort)
    big.socket.write(`GET / HTTP/1.1\r\nHost: a.localhost\r\nX: ${'a'.repeat(70 * 1024)}`)
    await until(() => big.text().startsWith('HTTP/1.1 431 Request Header Fields Too Large\r\n'), 'the 431')
    big.socket.destroy()
    const bad = client(router.httpPort)
    bad.socket.write('GET / HTTP/1.1\r\nHost : a.localhost\r\n\r\n')
    await until(() => bad.text().startsWith('HTTP/1.1 400 Bad Request\r\n'), 'the 400')
    bad.socket.destroy()
  })

  it('passes a request body on and keeps the connection for the next request', async () => {
    const c = client(router.httpPort)
    c.socket.write('POST /p HTTP/1.1\r\nHost: b.localhost\r\nContent-Length: 5\r\n\r\nhello' + get('a.localhost', '/after'))
    await until(() => c.bodies().length === 2, 'two answers')
    expect(c.bodies()).toEqual(['200 b /p b.localhost', '200 a /after a.localhost'])
    c.socket.destroy()
  })
})
