import {createRequire} from 'node:module'
import {request} from 'node:http'
import {connect} from 'node:net'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {LoginThrottle} from '../../src/controller/http/throttle.js'
import {MAX_CONFIG_BYTES} from '../../src/controller/model/config-change.js'
import {MIGRATIONS, sha256} from '../../src/controller/model/db.js'
import {countReleases} from '../../src/controller/model/releases.js'
import {mintToken, tokenHashes, TOKENS_PER_USER, userByToken} from '../../src/controller/model/tokens.js'
import {findUser, hashPassword} from '../../src/controller/model/users.js'
import {createController} from '../../src/controller/server.js'
import {startTestController, type TestController} from '../helpers/controller.js'
import {runDeis} from '../helpers/run.js'

type Answer = {status: number; headers: Record<string, string | string[] | undefined>; body: any}

/** One JSON request to `url`, optionally from another loopback address (the whole of 127/8 is this machine). */
function call(url: string, method: string, path: string, body?: unknown, opts: {token?: string; from?: string} = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers: Record<string, string> = {'content-type': 'application/json'}
    if (opts.token) headers.authorization = `token ${opts.token}`
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload))
    const req = request(`${url}${path}`, {method, headers, agent: false, ...(opts.from ? {localAddress: opts.from} : {})}, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined}))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const register = (url: string, username: string, token?: string) =>
  call(url, 'POST', '/v2/auth/register/', {username, password: `${username}pw`, email: `${username}@example.com`}, token ? {token} : {})
const login = (url: string, username: string, password: string, from?: string) => call(url, 'POST', '/v2/auth/login/', {username, password}, from ? {from} : {})

describe('registration modes', () => {
  let ctl: TestController | undefined
  afterEach(async () => {
    await ctl?.close()
    ctl = undefined
  })

  it('defaults to admin_only: the first user registers and is admin, then only an admin registers others', async () => {
    ctl = await startTestController()
    const first = await register(ctl.url, 'alice')
    expect([first.status, first.body.is_superuser]).toEqual([201, true])
    const anon = await register(ctl.url, 'mallory')
    expect([anon.status, anon.body]).toEqual([403, {detail: 'You do not have permission to perform this action.'}])
    const alice = (await login(ctl.url, 'alice', 'alicepw')).body.token as string
    const nonAdmin = await register(ctl.url, 'bob', alice)
    expect([nonAdmin.status, nonAdmin.body.is_superuser]).toEqual([201, false])
    const bob = (await login(ctl.url, 'bob', 'bobpw')).body.token as string
    expect((await register(ctl.url, 'carol', bob)).status).toBe(403)
    expect([findUser(ctl.store, 'mallory'), findUser(ctl.store, 'carol')]).toEqual([undefined, undefined])
  })

  it('enabled lets anyone register; disabled refuses even the first user', async () => {
    ctl = await startTestController({options: {registrationMode: 'enabled'}})
    expect((await register(ctl.url, 'alice')).status).toBe(201)
    expect((await register(ctl.url, 'bob')).status).toBe(201)
    await ctl.close()
    ctl = await startTestController({options: {registrationMode: 'disabled'}})
    expect(await register(ctl.url, 'alice')).toMatchObject({status: 403, body: {detail: 'Registration is disabled'}})
    expect(findUser(ctl.store, 'alice')).toBeUndefined()
  })

  it('deis register as a stranger is refused with the controller’s message', async () => {
    ctl = await startTestController({users: ['alice']})
    const stranger = mkdtempSync(join(tmpdir(), 'secrets-register-'))
    try {
      const r = await runDeis(stranger, ['register', ctl.url, '--username', 'mallory', '--password', 'x', '--email', 'm@example.com'])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: 'Error: You do not have permission to perform this action; this needs an admin account; ask an admin of the controller\n',
      })
    } finally {
      rmSync(stranger, {recursive: true, force: true})
    }
  })
})

describe('tokens at rest', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
  })
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'secrets-db-'))
    dirs.push(d)
    return d
  }
  const fileBytes = (dir: string) =>
    ['controller.db', 'controller.db-wal', 'controller.db-shm']
      .map(f => join(dir, f))
      .filter(f => existsSync(f))
      .map(f => readFileSync(f).toString('latin1'))
      .join('')

  it('keeps only hashes: each login mints a token that works, and neither is in the database files', async () => {
    const dir = dataDir()
    const ctl = await createController({port: 0, dataDir: dir})
    try {
      expect((await register(ctl.url, 'alice')).status).toBe(201)
      const one = await login(ctl.url, 'alice', 'alicepw')
      const two = await login(ctl.url, 'alice', 'alicepw')
      expect([one.status, two.status]).toEqual([200, 200])
      const [a, b] = [one.body.token as string, two.body.token as string]
      expect(a).toMatch(/^[0-9a-f]{40}$/)
      expect(a).not.toBe(b)
      for (const token of [a, b]) expect((await call(ctl.url, 'GET', '/v2/auth/whoami/', undefined, {token})).body.username).toBe('alice')
      expect(tokenHashes(ctl.store, 'alice').sort()).toEqual([sha256(a), sha256(b)].sort())
      const bytes = fileBytes(dir)
      expect(bytes).toContain(sha256(a))
      expect(bytes).not.toContain(a)
      expect(bytes).not.toContain(b)

      const fresh = await call(ctl.url, 'POST', '/v2/auth/tokens/', {}, {token: a})
      expect(fresh.status).toBe(200)
      for (const token of [a, b]) expect((await call(ctl.url, 'GET', '/v2/auth/whoami/', undefined, {token})).status).toBe(401)
      expect((await call(ctl.url, 'GET', '/v2/auth/whoami/', undefined, {token: fresh.body.token})).status).toBe(200)
    } finally {
      await ctl.close()
    }
  })

  it(`keeps at most ${TOKENS_PER_USER} sessions per user: one more login revokes the oldest`, async () => {
    const ctl = await startTestController({users: ['alice']})
    try {
      const first = ctl.tokens.alice!
      const minted = Array.from({length: TOKENS_PER_USER}, () => mintToken(ctl.store, 'alice'))
      expect(userByToken(ctl.store, first)).toBeUndefined()
      expect(userByToken(ctl.store, minted[0]!)?.username).toBe('alice')
      expect(tokenHashes(ctl.store, 'alice')).toHaveLength(TOKENS_PER_USER)
    } finally {
      await ctl.close()
    }
  })

  it('migrates a database that held plaintext tokens: the old token still works and its text is gone from the file', async () => {
    const dir = dataDir()
    // a database as the release before hashed tokens wrote it
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3')
    const old = new Database(join(dir, 'controller.db'))
    old.pragma('journal_mode = WAL')
    const before = MIGRATIONS.findIndex(m => m.includes('CREATE TABLE tokens'))
    for (const m of MIGRATIONS.slice(0, before)) old.exec(m)
    old.pragma(`user_version = ${before}`)
    const token = 'aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00'
    // no model function writes the old schema any more, so this fixture is the one place a test writes SQL
    // eslint-disable-next-line no-restricted-syntax
    old
      .prepare(`INSERT INTO users (username, password, is_superuser, date_joined, token, seq) VALUES ('alice', ?, 1, '2026-01-01T00:00:00Z', ?, 1)`)
      .run(await hashPassword('alicepw'), token)
    // eslint-disable-next-line no-restricted-syntax
    old.prepare(`INSERT INTO apps (id, uuid, owner, created, updated) VALUES ('example-app', 'u', 'alice', 'now', 'now')`).run()
    old.close()
    expect(fileBytes(dir)).toContain(token)

    const ctl = await createController({port: 0, dataDir: dir})
    try {
      expect(userByToken(ctl.store, token)?.username).toBe('alice')
      expect((await call(ctl.url, 'GET', '/v2/apps/example-app', undefined, {token})).body.owner).toBe('alice')
      expect(fileBytes(dir)).not.toContain(token)
    } finally {
      await ctl.close()
    }
  })
})

/** Sends `size` bytes of body after the headers (chunked when `chunked`), until the server stops the connection. */
function flood(port: number, head: string, size: number, chunked: boolean): Promise<{response: string; sent: number}> {
  return new Promise(resolve => {
    const s = connect(port, '127.0.0.1')
    let response = ''
    let sent = 0
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const piece = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk
    s.on('data', d => (response += d.toString('latin1')))
    s.on('error', () => undefined)
    s.on('close', () => resolve({response, sent}))
    s.write(head)
    const pump = () => {
      while (!s.destroyed && sent < size) {
        sent += chunk.length
        if (!s.write(piece)) return void s.once('drain', pump)
      }
    }
    pump()
  })
}

describe('request body limit', () => {
  let ctl: TestController | undefined
  afterEach(async () => {
    await ctl?.close()
    ctl = undefined
  })
  const FIFTY_MB = 50 * 1024 * 1024

  it('answers a 50 MB anonymous body with a JSON 413 and closes the connection without reading it', async () => {
    ctl = await startTestController({users: ['alice'], apps: ['example-app']})
    const r = await flood(ctl.port, `POST /v2/auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${FIFTY_MB}\r\n\r\n`, FIFTY_MB, false)
    expect(r.response).toMatch(/^HTTP\/1\.1 413 /)
    expect(r.response).toMatch(/\r\nConnection: close\r\n/i)
    expect(JSON.parse(r.response.slice(r.response.indexOf('\r\n\r\n') + 4))).toEqual({
      detail: 'Request body is larger than 1048576 bytes; send less, or start the controller with a larger --max-body.',
    })
    // the socket closed while most of the body was still unsent: the controller stopped reading
    expect(r.sent).toBeLessThan(FIFTY_MB)
    expect((await call(ctl.url, 'GET', '/v2/apps/', undefined, {token: ctl.tokens.alice!})).status).toBe(200)
  })

  it('stops a chunked body (no Content-Length) as soon as it passes the limit', async () => {
    ctl = await startTestController({users: ['alice'], apps: ['example-app']})
    const head = `POST /v2/apps/example-app/config/ HTTP/1.1\r\nHost: x\r\nAuthorization: token ${ctl.tokens.alice}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`
    const r = await flood(ctl.port, head, FIFTY_MB, true)
    expect(r.response).toMatch(/^HTTP\/1\.1 413 /)
    expect(r.sent).toBeLessThan(FIFTY_MB)
    expect(countReleases(ctl.store, 'example-app')).toBe(1)
  })

  it('deis config:set of a value over --max-body is refused and changes nothing', async () => {
    ctl = await startTestController({users: ['alice'], apps: ['example-app'], options: {maxBody: 4096}})
    const r = await runDeis(ctl, ['config:set', `BIG=${'x'.repeat(5000)}`, '--app', 'example-app'])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('Request body is larger than 4096 bytes')
    expect(countReleases(ctl.store, 'example-app')).toBe(1)
  })
})

describe('config size limit', () => {
  it(`refuses config values over ${MAX_CONFIG_BYTES} bytes in all, counting the values already set`, async () => {
    const ctl = await startTestController({users: ['alice'], apps: ['example-app']})
    try {
      const post = (values: Record<string, string>) => call(ctl.url, 'POST', '/v2/apps/example-app/config/', {values}, {token: ctl.tokens.alice!})
      expect((await post({A: 'a'.repeat(150 * 1024)})).status).toBe(201)
      const over = await post({B: 'b'.repeat(150 * 1024)})
      expect(over.status).toBe(400)
      expect(Object.keys(over.body)).toEqual(['values'])
      expect(over.body.values[0]).toMatch(/^Ensure the config values total no more than 262144 bytes \(they would be \d+\); /)
      expect(countReleases(ctl.store, 'example-app')).toBe(2)
      // under the 128 KiB a single argument may have on Linux, over the limit together with A
      const r = await runDeis(ctl, ['config:set', `C=${'c'.repeat(120 * 1024)}`, '--app', 'example-app'])
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toContain('Ensure the config values total no more than 262144 bytes')
      expect(countReleases(ctl.store, 'example-app')).toBe(2)
    } finally {
      await ctl.close()
    }
  })
})

describe('login throttling', () => {
  let ctl: TestController | undefined
  afterEach(async () => {
    await ctl?.close()
    ctl = undefined
  })
  const throttled = (a: Answer) => a.status === 429 && /^\d+$/.test(String(a.headers['retry-after'])) && Number(a.headers['retry-after']) > 0

  it('after 10 failures from one address: 429 with Retry-After, even for the right password; other users still log in', async () => {
    ctl = await startTestController({users: ['alice', 'bob']})
    for (let i = 0; i < 10; i++) expect((await login(ctl.url, 'alice', 'wrong')).status).toBe(400)
    const right = await login(ctl.url, 'alice', 'alicepw')
    expect(throttled(right)).toBe(true)
    expect(right.body.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/)
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(15 * 60)
    expect((await login(ctl.url, 'bob', 'bobpw')).status).toBe(200)
    // another address is not held back by this one's failures
    expect((await login(ctl.url, 'alice', 'alicepw', '127.0.0.2')).status).toBe(200)
  })

  it('after 50 failures for one username from anywhere: 429 from a fresh address too, and unknown names count the same', async () => {
    ctl = await startTestController({users: ['alice']})
    for (let i = 0; i < 50; i++) expect((await login(ctl.url, 'alice', 'wrong', `127.0.0.${10 + (i % 6)}`)).status).toBe(400)
    expect(throttled(await login(ctl.url, 'alice', 'alicepw', '127.0.0.99'))).toBe(true)
    for (let i = 0; i < 10; i++) expect((await login(ctl.url, 'nobody', 'wrong')).status).toBe(400)
    expect(throttled(await login(ctl.url, 'nobody', 'wrong'))).toBe(true)
  })

  it('counts parallel attempts before their passwords are checked, so a burst cannot slip past the limit', async () => {
    ctl = await startTestController({users: ['alice']})
    const answers = await Promise.all(Array.from({length: 30}, () => login(ctl!.url, 'alice', 'wrong')))
    expect(answers.filter(a => a.status === 400)).toHaveLength(10)
    expect(answers.filter(throttled)).toHaveLength(20)
  })

  it('deis login while throttled says so and exits non-zero', async () => {
    ctl = await startTestController({users: ['alice']})
    for (let i = 0; i < 10; i++) await login(ctl.url, 'alice', 'wrong')
    const r = await runDeis(ctl, ['login', ctl.url, '--username', 'alice', '--password', 'alicepw'])
    expect(r.exitCode).not.toBe(0)
    expect(r.stderr).toContain('Request was throttled')
  })

  it('lets the name try again once the window has passed, and a success clears that address', () => {
    let now = 1_000_000
    const t = new LoginThrottle({windowMs: 60_000, perAddress: 3, perUser: 5}, () => now)
    for (let i = 0; i < 3; i++) t.attempt('alice', 'a')
    expect(() => t.attempt('alice', 'a')).toThrow(expect.objectContaining({status: 429, headers: {'Retry-After': '60'}}))
    now += 30_000
    expect(() => t.attempt('alice', 'a')).toThrow(expect.objectContaining({headers: {'Retry-After': '30'}}))
    now += 30_001
    expect(() => t.attempt('alice', 'a')).not.toThrow()
    t.attempt('alice', 'b')
    t.attempt('alice', 'b')
    t.succeed('alice', 'b')
    t.attempt('alice', 'b')
    t.attempt('alice', 'b')
    expect(() => t.attempt('alice', 'b')).not.toThrow()
  })
})
