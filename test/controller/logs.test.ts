import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import WebSocket from 'ws'
import {processSource} from '../../src/controller/model/logs.js'
import {createController} from '../../src/controller/server.js'
import {startTestController, type TestController} from '../helpers/controller.js'
import {mintToken} from '../../src/controller/model/tokens.js'
import {createUser} from '../../src/controller/model/users.js'
import {createApp} from '../../src/controller/model/app-lifecycle.js'
import {grant} from '../../src/controller/model/perms.js'

const TIME = '2026-11-25T03:18:28+00:00'

async function waitFor(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 10))
  }
}

type Stream = {frames: string[]; text: () => string; closed: Promise<number>; ws: WebSocket}

/** A WebSocket on the logs path that sends `first` once open and records every frame. */
function stream(url: string, token: string, first: unknown, app = 'example-app'): Promise<Stream> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v2/apps/${app}/logs`, {headers: {authorization: `token ${token}`}})
  const frames: string[] = []
  ws.on('message', data => frames.push(String(data)))
  const closed = new Promise<number>(resolve => ws.on('close', code => resolve(code)))
  return new Promise((resolve, reject) => {
    ws.on('open', () => {
      ws.send(JSON.stringify(first))
      resolve({frames, text: () => frames.join(''), closed, ws})
    })
    ws.on('error', reject)
  })
}

/** The status and body a refused WebSocket handshake answers with. */
function refusedHandshake(url: string, token: string | undefined, app = 'example-app'): Promise<{status: number; body: string}> {
  const headers: Record<string, string> = token ? {authorization: `token ${token}`} : {}
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v2/apps/${app}/logs`, {headers})
  return new Promise((resolve, reject) => {
    ws.on('open', () => reject(new Error('the handshake was accepted')))
    ws.on('error', () => {})
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', chunk => (body += chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
    })
  })
}

describe('controller: logs', () => {
  let ctl: TestController
  const get = (path: string, user = 'alice') => fetch(`${ctl.url}${path}`, {headers: {authorization: `token ${ctl.tokens[user]}`}})
  const line = (n: number, source = 'example-app[web.1]') => `${TIME} ${source}: line ${n}`
  /** Every stored line of an app, without its timestamp. */
  const stored = (app = 'example-app') =>
    (ctl.store.logs.tail(app, 1e9)?.text ?? '')
      .split('\n')
      .slice(0, -1)
      .map(l => l.replace(/^\S+ /, ''))

  beforeAll(async () => {
    ctl = await startTestController({users: ['alice', 'bob', 'carol'], apps: ['example-app', 'quiet-app']})
    ctl.logs.withoutEvents(() => grant(ctl.store, 'example-app', 'carol'))
  })
  afterAll(() => ctl.close())

  it('B7: answers 204 with no body while an app has no lines', async () => {
    const res = await get('/v2/apps/quiet-app/logs')
    expect(res.status).toBe(204)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    expect(await res.text()).toBe('')
  })

  it('B4 B5: sends the newest lines as text/plain, 100 by default and log_lines=N', async () => {
    ctl.store.logs.append(
      'example-app',
      Array.from({length: 105}, (_, i) => ({source: 'example-app[web.1]', message: `line ${i + 1}`, time: TIME})),
    )
    const res = await get('/v2/apps/example-app/logs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain')
    expect(res.headers.get('deis_api_version')).toBe('2.3')
    const all = Array.from({length: 105}, (_, i) => `${line(i + 1)}\n`)
    expect(await res.text()).toBe(all.slice(5).join(''))
    expect(await (await get('/v2/apps/example-app/logs?log_lines=2')).text()).toBe(all.slice(103).join(''))
    expect(await (await get('/v2/apps/example-app/logs/?log_lines=junk')).text()).toBe(all.slice(5).join(''))
    expect(await (await get('/v2/apps/example-app/logs?log_lines=500')).text()).toBe(all.join(''))
  })

  it('lets collaborators read, answers 404 for an unknown app and 403 to a stranger', async () => {
    expect((await get('/v2/apps/example-app/logs?log_lines=1', 'carol')).status).toBe(200)
    const missing = await get('/v2/apps/no-such-app/logs')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toBe('No App matches the given query.')
    const stranger = await get('/v2/apps/example-app/logs', 'bob')
    expect(stranger.status).toBe(403)
    expect(await stranger.json()).toEqual({detail: 'You do not have permission to perform this action.'})
    const anonymous = await fetch(`${ctl.url}/v2/apps/example-app/logs`)
    expect(anonymous.status).toBe(401)
  })

  it('refuses the WebSocket handshake with the same statuses as the plain endpoint', async () => {
    expect(await refusedHandshake(ctl.url, ctl.tokens.bob)).toEqual({status: 403, body: '{"detail":"You do not have permission to perform this action."}'})
    expect(await refusedHandshake(ctl.url, ctl.tokens.alice, 'no-such-app')).toEqual({status: 404, body: '"No App matches the given query."'})
    expect(await refusedHandshake(ctl.url, undefined)).toEqual({status: 401, body: '{"detail":"Authentication credentials were not provided."}'})
    expect(await refusedHandshake(ctl.url, 'f'.repeat(40))).toEqual({status: 401, body: '{"detail":"Invalid token."}'})
  })

  it('streams in the Drycc protocol: the newest N lines, then closes with 1000 when not following', async () => {
    const s = await stream(ctl.url, ctl.tokens.carol!, {lines: 3, follow: false})
    expect(await s.closed).toBe(1000)
    expect(s.text()).toBe(`${line(103)}\n${line(104)}\n${line(105)}\n`)
  })

  it('pushes lines appended while following, and only lines from committed transactions', async () => {
    const s = await stream(ctl.url, ctl.tokens.alice!, {lines: 1, follow: true, timeout: 60})
    await waitFor(() => s.frames.length === 1, 'the history frame')
    ctl.store.logs.line('example-app', processSource('example-app', 'worker', 'v2', 'example-app-worker-1234567890-x8k2q'), 'first\nsecond')
    expect(() =>
      ctl.store.tx(() => {
        ctl.store.logs.event('example-app', 'rolled back')
        throw new Error('validation failed')
      }),
    ).toThrow('validation failed')
    ctl.store.tx(() => ctl.store.logs.event('example-app', 'alice scaled pods web=4'))
    await waitFor(() => s.text().includes('alice scaled pods web=4'), 'the committed event')
    expect(s.text()).toMatch(
      /^\S+ example-app\[web\.1\]: line 105\n\S+ example-app\[worker\.v2\.x8k2q\]: first\n\S+ example-app\[worker\.v2\.x8k2q\]: second\n\S+ deis\[controller\]: INFO alice scaled pods web=4\n$/,
    )
    expect(stored().filter(l => l.includes('rolled back'))).toEqual([])
    expect(stored().at(-1)).toBe('deis[controller]: INFO alice scaled pods web=4')
    s.ws.close()
    expect(await s.closed).toBe(1005)
  })

  it('with "after" in the first frame sends a cursor, then each frame headed by its last id, and resumes from an id', async () => {
    const last = ctl.store.logs.lastId('example-app')
    expect(last).toBe(108)
    const s = await stream(ctl.url, ctl.tokens.alice!, {lines: 2, follow: true, after: null})
    await waitFor(() => s.frames.length === 2, 'cursor and history')
    expect(s.frames[0]).toBe(`{"cursor":${last - 2}}`)
    expect(s.frames[1]).toMatch(new RegExp(`^${last}\\n\\S+ example-app\\[worker\\.v2\\.x8k2q\\]: second\\n\\S+ deis\\[controller\\]: INFO alice scaled pods web=4\\n$`))
    const added = ctl.store.logs.line('example-app', 'example-app[web.1]', 'pushed')!
    await waitFor(() => s.frames.length === 3, 'the pushed frame')
    expect(added.first).toBe(last + 1)
    expect(s.frames[2]).toBe(`${added.last}\n${added.text}`)
    s.ws.close()

    const resumed = await stream(ctl.url, ctl.tokens.alice!, {lines: 2, follow: false, after: last - 1})
    expect(await resumed.closed).toBe(1000)
    expect(resumed.frames[0]).toBe(`{"cursor":${last - 1}}`)
    const lastTwo = await (await get('/v2/apps/example-app/logs?log_lines=2')).text()
    expect(lastTwo).toMatch(/^\S+ deis\[controller\]: INFO alice scaled pods web=4\n/)
    expect(resumed.frames[1]).toBe(`${added.last}\n${lastTwo}`)

    const unknown = await stream(ctl.url, ctl.tokens.alice!, {lines: 1, follow: false, after: added.last + 1000})
    expect(await unknown.closed).toBe(1000)
    expect(unknown.frames).toEqual([`{"cursor":${last}}`, `${added.last}\n${added.text}`])
  })

  it('with "window" sends at most that many lines past the last {"ack"}, in frames of 250 lines', async () => {
    const start = ctl.store.logs.lastId('example-app')
    const s = await stream(ctl.url, ctl.tokens.alice!, {lines: 0, follow: true, after: null, window: 300})
    await waitFor(() => s.frames.length === 1, 'the cursor frame')
    expect(s.frames[0]).toBe(`{"cursor":${start}}`)
    ctl.store.logs.append(
      'example-app',
      Array.from({length: 1000}, (_, i) => ({source: 'example-app[web.1]', message: `burst ${i}`, time: TIME})),
    )
    const heads = () => s.frames.slice(1).map(f => Number(f.slice(0, f.indexOf('\n'))))
    await waitFor(() => s.frames.length === 3, 'two frames')
    await new Promise<void>(resolve => {
      s.ws.once('pong', () => resolve())
      s.ws.ping()
    })
    expect(heads()).toEqual([start + 250, start + 500])
    s.ws.send(`{"ack":${start + 250}}`)
    await waitFor(() => s.frames.length === 4, 'a third frame')
    await new Promise<void>(resolve => {
      s.ws.once('pong', () => resolve())
      s.ws.ping()
    })
    expect(heads()).toEqual([start + 250, start + 500, start + 750])
    s.ws.send(`{"ack":${start + 750}}`)
    await waitFor(() => s.frames.length === 5, 'the last frame')
    expect(
      s.frames
        .slice(1)
        .map(f => f.slice(f.indexOf('\n') + 1))
        .join(''),
    ).toBe(Array.from({length: 1000}, (_, i) => `${TIME} example-app[web.1]: burst ${i}\n`).join(''))
    s.ws.close()
  })

  it("appends lines over POST /v2/apps/{app}/logs/append for the app's users only", async () => {
    const post = (query: string, body: string, user = 'alice') =>
      fetch(`${ctl.url}/v2/apps/quiet-app/logs/append${query}`, {method: 'POST', headers: {authorization: `token ${ctl.tokens[user]}`}, body})
    expect((await post('', 'listening on :5000\nready\n')).status).toBe(204)
    expect((await post('?source=deis[controller]', 'INFO alice created v2')).status).toBe(204)
    expect((await post('?source=worker.1', 'tick')).status).toBe(204)
    expect((await post('?source=bad%20source', 'x')).status).toBe(400)
    expect((await post('', 'sneaky', 'bob')).status).toBe(403)
    expect(stored('quiet-app')).toEqual([
      'quiet-app[web.1]: listening on :5000',
      'quiet-app[web.1]: ready',
      'deis[controller]: INFO alice created v2',
      'quiet-app[worker.1]: tick',
    ])
    const text = await (await get('/v2/apps/quiet-app/logs?log_lines=1')).text()
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 quiet-app\[worker\.1\]: tick\n$/)
  })

  it("logs each new release's summary as a controller event", async () => {
    const res = await fetch(`${ctl.url}/v2/apps/`, {
      method: 'POST',
      headers: {authorization: `token ${ctl.tokens.alice}`, 'content-type': 'application/json'},
      body: '{"id":"new-app"}',
    })
    expect(res.status).toBe(201)
    expect(stored('new-app')).toEqual([
      expect.stringMatching(/^deis\[controller\]: INFO config new-app-[0-9a-f]{7} updated$/),
      'deis[controller]: INFO alice created initial release',
      'deis[controller]: INFO domain new-app added',
      expect.stringMatching(/^deis\[controller\]: INFO appsettings new-app-[0-9a-f]{7} updated$/),
    ])
  })

  it("drops an app's lines with the app", async () => {
    await fetch(`${ctl.url}/v2/apps/quiet-app/`, {method: 'DELETE', headers: {authorization: `token ${ctl.tokens.alice}`}})
    expect(ctl.logs.count('quiet-app')).toBe(0)
  })
})

describe('controller: log retention', () => {
  it('keeps the newest N lines per app and keeps them across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deis-logs-'))
    try {
      const first = await createController({port: 0, dataDir, logLines: 3})
      await createUser(first.store, {username: 'alice', password: 'pw', email: 'a@example.com', is_superuser: true})
      first.logs.withoutEvents(() => {
        createApp(first.store, 'example-app', 'alice')
        createApp(first.store, 'other-app', 'alice')
      })
      first.store.logs.append(
        'example-app',
        [1, 2, 3, 4, 5].map(n => ({source: 'example-app[web.1]', message: `m${n}`, time: TIME})),
      )
      first.store.logs.event('other-app', 'alice created v1')
      await first.close()

      const second = await createController({port: 0, dataDir, logLines: 3})
      const token = mintToken(second.store, 'alice')
      const text = await (await fetch(`${second.url}/v2/apps/example-app/logs`, {headers: {authorization: `token ${token}`}})).text()
      expect(text).toBe(`${TIME} example-app[web.1]: m3\n${TIME} example-app[web.1]: m4\n${TIME} example-app[web.1]: m5\n`)
      expect(second.store.logs.line('example-app', 'example-app[web.1]', 'm6')).toMatchObject({first: 6, last: 6})
      expect(second.logs.chunks('example-app')).toEqual([
        [4, 2],
        [6, 1],
      ])
      expect(second.store.logs.tail('example-app', 10)!.text).toBe(
        `${TIME} example-app[web.1]: m4\n${TIME} example-app[web.1]: m5\n${second.store.logs.tail('example-app', 1)!.text}`,
      )
      expect(second.logs.count('other-app')).toBe(1)
      await second.close()
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
