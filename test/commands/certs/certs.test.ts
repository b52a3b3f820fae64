import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {certsTable} from '../../../src/output/app-views.js'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {findCertByName} from '../../../src/controller/model/certs.js'
import {domainCertificate} from '../../../src/controller/model/domains.js'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const day = (ts: string) => {
  const d = new Date(ts)
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`
}

describe('certs:add, certs:list, certs:info, certs:attach, certs:detach, certs:remove', () => {
  let ctl: TestController
  let dir: string
  const row = (name: string) => findCertByName(ctl.store, name)
  const certOf = (domain: string) => domainCertificate(ctl.store, domain)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deis-certs-'))
    for (const [name, cn] of [
      ['example', 'www.example.com'],
      ['other', 'other.example.com'],
    ]) {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          `${name}.key`,
          '-out',
          `${name}.crt`,
          '-days',
          '400',
          '-subj',
          `/CN=${cn}`,
          '-addext',
          `subjectAltName=DNS:${cn},DNS:example.com`,
        ],
        {cwd: dir, stdio: 'ignore'},
      )
    }
    ctl = await startTestController({users: ['alice', 'bob']})
    expect((await runDeis(ctl, ['apps:create', 'example-app', '--no-remote'])).exitCode).toBe(0)
    expect((await runDeis(ctl, ['domains:add', 'www.example.com', '--app', 'example-app'])).exitCode).toBe(0)
  })
  afterAll(async () => {
    await ctl.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('says No certs, then adds one from files relative to the working directory', async () => {
    expect(await runDeis(ctl, ['certs'])).toEqual({exitCode: 0, stdout: 'No certs\n', stderr: ''})
    expect(await runDeis(ctl, ['certs:add', 'example-com', 'example.crt', 'example.key'], {cwd: dir})).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Adding SSL endpoint... done\n',
    })
    expect(row('example-com')).toMatchObject({owner: 'alice', common_name: 'www.example.com'})
  })

  it('refuses missing files, a key of another certificate and a taken name', async () => {
    const missing = await runDeis(ctl, ['certs:add', 'x', 'nope.crt', 'example.key'], {cwd: dir})
    expect(missing).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: cannot read the certificate file nope.crt: no such file; pass the paths of the certificate and key files: `deis certs:add <name> <cert> <key>`\n',
    })
    expect((await runDeis(ctl, ['certs:add', 'mixed', 'example.crt', 'other.key'], {cwd: dir})).stderr).toBe(
      "Error: the key does not match the certificate (other.key was not made for example.crt); pass the private key made with this certificate's signing request\n",
    )
    expect((await runDeis(ctl, ['certs:add', 'example-com', 'other.crt', 'other.key'], {cwd: dir})).stderr).toBe(
      'Adding SSL endpoint... Error: name: certificate with this name already exists; choose another name; `deis certs:list` shows the ones you can see\n',
    )
    expect(row('mixed')).toBeUndefined()
  })

  it('attaches to a domain, shows the table and the info block, detaches', async () => {
    expect(await runDeis(ctl, ['certs:attach', 'example-com', 'www.example.com'])).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: 'Attaching certificate example-com to domain www.example.com... done\n',
    })
    expect(certOf('www.example.com')).toBe(Number(row('example-com')!.id))
    const c = row('example-com')!
    const list = await runDeis(ctl, ['certs:list'])
    const short = `${c.fingerprint!.slice(0, 5)}[...]${c.fingerprint!.slice(-5)}`
    const years = new Date(c.expires!).getUTCFullYear() - new Date().getUTCFullYear()
    const cells = [
      'example-com',
      'www.example.com',
      'www.example.com,example.com',
      `${day(c.expires!)} (in ${years} year${years > 1 ? 's' : ''})`,
      short,
      'www.example.com',
      day(c.updated!),
      day(c.created!),
    ]
    const heads = ['Name', 'Common Name', 'SubjectAltName', 'Expires', 'Fingerprint', 'Domains', 'Updated', 'Created']
    const widths = heads.map((h, i) => Math.max(h.length, cells[i]!.length))
    expect(list.stdout.split('\n')[1]).toBe(`+${widths.map(w => '-'.repeat(w + 2)).join('+')}+`)
    expect(list.stdout.split('\n')[2]).toBe(` ${cells.map((v, i) => ` ${v.padEnd(widths[i]!)} `).join('|')} `)
    expect(await runDeis(ctl, ['certs:info', 'example-com'])).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        '=== example-com Certificate',
        'Common Name(s):     www.example.com',
        `Expires At:         ${day(c.expires!)}`,
        `Starts At:          ${day(c.starts!)}`,
        `Fingerprint:        ${c.fingerprint}`,
        'Subject Alt Name:   www.example.com,example.com',
        'Issuer:             /CN=www.example.com',
        'Subject:            /CN=www.example.com',
        '',
        'Connected Domains:  www.example.com',
        'Owner:              alice',
        `Created:            ${day(c.created!)}`,
        `Updated:            ${day(c.updated!)}`,
        '',
      ].join('\n'),
    })
    expect((await runDeis(ctl, ['certs:attach', 'example-com', 'www.example.com'])).stderr).toBe(
      'Attaching certificate example-com to domain www.example.com... Error: Domain already has a certificate attached to it; detach the other one first: `deis certs:detach <cert> <domain>`\n',
    )
    expect((await runDeis(ctl, ['certs:detach', 'example-com', 'www.example.com'])).stderr).toBe('Detaching certificate example-com from domain www.example.com... done\n')
    expect(certOf('www.example.com')).toBeNull()
  })

  it("hides one user's certificates from another and removes them", async () => {
    ctl.loginAs('bob')
    expect(await runDeis(ctl, ['certs:info', 'example-com'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No Certificate matches the given query; check the name with `deis certs:list`\n',
    })
    expect((await runDeis(ctl, ['certs:remove', 'example-com'])).exitCode).toBe(1)
    ctl.loginAs('alice')
    expect(await runDeis(ctl, ['certs:remove', 'example-com'])).toEqual({exitCode: 0, stdout: '', stderr: 'Removing example-com... done\n'})
    expect(row('example-com')).toBeUndefined()
  })

  it('renders the Go client table layout byte for byte, trailing spaces included (cli-surface §5.2.4)', async () => {
    const cert = (name: string, cn: string, san: string[], expires: string, fp: string, domains: string[]) => ({
      id: 1,
      owner: 'alice',
      name,
      common_name: cn,
      san,
      domains,
      fingerprint: fp,
      expires,
      starts: expires,
      issuer: '',
      subject: '',
      created: '2016-06-09T00:00:00Z',
      updated: '2016-06-09T00:00:00Z',
    })
    const lines = await certsTable(
      [
        cert('test-example-com', 'test.example.com', ['test.com', 'example.com'], '2014-11-10T00:00:00Z', '12:34:56:78:90', ['test.com', 'example.com']),
        cert('test-deis-com', 'test.deis.com', [], '2016-08-01T00:00:00Z', 'ab:12:34:12:ab', []),
      ],
      new Date('2016-06-09T12:00:00Z'),
    )
    expect(lines).toEqual([
      '        Name       |   Common Name    |    SubjectAltName    |         Expires          |   Fingerprint   |       Domains        |  Updated   |  Created    ',
      '+------------------+------------------+----------------------+--------------------------+-----------------+----------------------+------------+------------+',
      '  test-example-com | test.example.com | test.com,example.com | 10 Nov 2014 (expired)    | 12:34[...]78:90 | test.com,example.com | 9 Jun 2016 | 9 Jun 2016  ',
      '  test-deis-com    | test.deis.com    |                      | 1 Aug 2016 (in 2 months) | ab:12[...]12:ab |                      | 9 Jun 2016 | 9 Jun 2016  ',
    ])
  })
})
