import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestController, type TestController} from '../helpers/controller.js'
import {apiCaller} from '../helpers/fetch-api.js'
import {countCerts} from '../../src/controller/model/certs.js'
import {domainCertificate} from '../../src/controller/model/domains.js'

/** A self-signed certificate and its key, made by the openssl CLI. */
function selfSigned(dir: string, name: string, cn: string, san: string): {certificate: string; key: string} {
  const cert = join(dir, `${name}.crt`)
  const key = join(dir, `${name}.key`)
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '365', '-subj', `/O=Example/CN=${cn}`, '-addext', `subjectAltName=${san}`],
    {stdio: 'ignore'},
  )
  return {certificate: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8')}
}

describe('controller: /v2/certs', () => {
  let ctl: TestController
  let dir: string
  let pair: {certificate: string; key: string}
  let other: {certificate: string; key: string}
  const call = apiCaller(() => ctl)
  const certCount = () => countCerts(ctl.store)
  const certOf = (domain: string) => domainCertificate(ctl.store, domain)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deis-certs-'))
    pair = selfSigned(dir, 'a', 'myapp.example.com', 'DNS:myapp.example.com,DNS:www.example.com')
    other = selfSigned(dir, 'b', 'other.example.com', 'DNS:other.example.com')
    ctl = await startTestController({users: ['alice', 'bob']})
    expect((await call('POST', '/v2/apps/', {id: 'myapp'})).status).toBe(201)
    expect((await call('POST', '/v2/apps/myapp/domains', {domain: 'myapp.example.com'})).status).toBe(201)
  })
  afterAll(async () => {
    await ctl.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('#72 #73 #77 #78 adds a certificate, reading its fields from the PEM, never returning the key', async () => {
    expect(await call('GET', '/v2/certs')).toEqual({status: 200, body: {count: 0, next: null, previous: null, results: []}})
    const r = await call('POST', '/v2/certs', {name: 'mycert', ...pair})
    expect(r.status).toBe(201)
    expect(Object.keys(r.body)).toEqual([
      'id',
      'owner',
      'domains',
      'san',
      'created',
      'updated',
      'name',
      'common_name',
      'fingerprint',
      'expires',
      'starts',
      'issuer',
      'subject',
    ])
    expect(r.body).toMatchObject({
      id: 1,
      owner: 'alice',
      domains: [],
      san: ['myapp.example.com', 'www.example.com'],
      name: 'mycert',
      common_name: 'myapp.example.com',
      issuer: '/O=Example/CN=myapp.example.com',
      subject: '/O=Example/CN=myapp.example.com',
    })
    expect(r.body.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(r.body.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(Date.parse(r.body.expires) - Date.parse(r.body.starts)).toBe(365 * 86_400_000)
    expect(await call('GET', '/v2/certs/mycert')).toEqual({status: 200, body: r.body})
    expect((await call('GET', '/v2/certs')).body).toMatchObject({count: 1, results: [r.body]})
  })

  it('#74 #75 #76 rejects a taken name, a key of another certificate and PEM that does not load', async () => {
    expect(await call('POST', '/v2/certs', {name: 'mycert', ...pair})).toEqual({status: 400, body: {name: ['certificate with this name already exists.']}})
    expect(await call('POST', '/v2/certs', {name: 'badpair', certificate: pair.certificate, key: other.key})).toEqual({
      status: 400,
      body: ['Certificate and private key do not match!'],
    })
    expect(await call('POST', '/v2/certs', {name: 'garbage', certificate: 'hello', key: 'world'})).toEqual({
      status: 400,
      body: {
        certificate: ["Could not load certificate: [('PEM routines', '', 'no start line')]"],
        key: ["Could not load private key: [('DECODER routines', '', 'unsupported')]"],
      },
    })
    expect(await call('POST', '/v2/certs', {name: 'Bad_Name', ...other})).toEqual({status: 400, body: {name: ['Can only contain a-z (lowercase), 0-9 and hyphens']}})
    expect(await call('POST', '/v2/certs', {})).toEqual({
      status: 400,
      body: {name: ['This field is required.'], certificate: ['This field is required.'], key: ['This field is required.']},
    })
    expect(certCount()).toBe(1)
  })

  it('#79 #80 #81 #82 attaches to a domain, 409 the second time, domains show no cert field', async () => {
    expect(await call('POST', '/v2/certs/mycert/domain/', {domain: 'myapp.example.com'})).toEqual({status: 201, body: undefined})
    expect(await call('POST', '/v2/certs/mycert/domain/', {domain: 'myapp.example.com'})).toEqual({
      status: 409,
      body: {detail: 'Domain already has a certificate attached to it'},
    })
    expect(await call('POST', '/v2/certs/mycert/domain/', {})).toEqual({status: 400, body: {detail: 'domain is a required field'}})
    expect(await call('POST', '/v2/certs/mycert/domain/nope.example.com')).toEqual({status: 404, body: 'No Domain matches the given query.'})
    expect((await call('GET', '/v2/certs/mycert')).body.domains).toEqual(['myapp.example.com'])
    const domains = (await call('GET', '/v2/apps/myapp/domains')).body.results
    expect(Object.keys(domains[1])).toEqual(['owner', 'created', 'updated', 'app', 'domain'])
  })

  it('keeps certificates per owner, even from an admin', async () => {
    expect(await call('GET', '/v2/certs/mycert', undefined, 'bob')).toEqual({status: 404, body: 'No Certificate matches the given query.'})
    expect((await call('GET', '/v2/certs', undefined, 'bob')).body.count).toBe(0)
    expect((await call('POST', '/v2/certs', {name: 'bobcert', ...other}, 'bob')).status).toBe(201)
    expect(await call('GET', '/v2/certs/bobcert')).toEqual({status: 404, body: 'No Certificate matches the given query.'})
    expect(await call('DELETE', '/v2/certs/bobcert')).toEqual({status: 404, body: 'No Certificate matches the given query.'})
    expect(certCount()).toBe(2)
  })

  it('#85 #86 #87 detaches, removes, then the certificate is gone', async () => {
    expect(await call('DELETE', '/v2/certs/mycert/domain/myapp.example.com')).toEqual({status: 204, body: undefined})
    expect(certOf('myapp.example.com')).toBeNull()
    expect(await call('POST', '/v2/certs/mycert/domain/myapp.example.com')).toEqual({status: 201, body: undefined})
    expect(await call('DELETE', '/v2/certs/mycert')).toEqual({status: 204, body: undefined})
    expect(certOf('myapp.example.com')).toBeNull()
    expect(await call('GET', '/v2/certs/mycert')).toEqual({status: 404, body: 'No Certificate matches the given query.'})
  })
})
