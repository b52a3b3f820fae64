import {describe, expect, it} from 'vitest'
import {useTestController} from '../helpers/controller.js'
import {apiCaller} from '../helpers/fetch-api.js'
import {grant} from '../../src/controller/model/perms.js'
import {allDomains} from '../../src/controller/model/domains.js'

describe('controller: /v2/apps/{app}/domains/', () => {
  const ctl = useTestController({users: ['alice', 'bob', 'carol']}, async () => {
    expect((await call('POST', '/v2/apps/', {id: 'myapp'})).status).toBe(201)
    expect((await call('POST', '/v2/apps/', {id: 'bobapp'}, 'bob')).status).toBe(201)
    grant(ctl.store, 'myapp', 'carol')
  })
  const call = apiCaller(() => ctl)
  const stored = () => allDomains(ctl.store)
  const add = (domain: unknown, app = 'myapp', user = 'alice') => call('POST', `/v2/apps/${app}/domains`, {domain}, user)
  const invalid = (message: string) => ({status: 400, body: {domain: [message]}})

  it('#64 starts every app with a domain named after it', async () => {
    const r = await call('GET', '/v2/apps/myapp/domains')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({count: 1, next: null, previous: null})
    expect(Object.keys(r.body.results[0])).toEqual(['owner', 'created', 'updated', 'app', 'domain'])
    expect(r.body.results[0]).toMatchObject({owner: 'alice', app: 'myapp', domain: 'myapp'})
  })

  it('#65 #66 #67 #69 adds names and wildcards, refuses a name in use, lists by name', async () => {
    const r = await add('myapp.example.com')
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({owner: 'alice', app: 'myapp', domain: 'myapp.example.com'})
    expect(await add('myapp.example.com')).toEqual(invalid('Domain is already in use by another application'))
    expect(await add('myapp.example.com', 'bobapp', 'bob')).toEqual(invalid('Domain is already in use by another application'))
    expect(await add('myapp.example.com.', 'bobapp', 'bob')).toEqual(invalid('The domain myapp.example.com is already in use by another app'))
    expect((await add('*.wild.example.com')).status).toBe(201)
    const list = await call('GET', '/v2/apps/myapp/domains')
    expect(list.body.results.map((d: {domain: string}) => d.domain)).toEqual(['*.wild.example.com', 'myapp', 'myapp.example.com'])
    expect((await call('GET', '/v2/apps/myapp/domains?limit=1')).body).toMatchObject({count: 3, results: [{domain: '*.wild.example.com'}]})
  })

  it('#68 explains invalid names with the IDNA reason, storing nothing', async () => {
    const before = stored()
    expect(await add('not a domain')).toEqual(
      invalid("Hostname does not look valid, could not convert to ACE not a domain: Codepoint U+0020 at position 4 of 'not a domain' not allowed"),
    )
    expect(await add('*')).toEqual(invalid("Hostname can't only be a wildcard"))
    expect(await add('a.*.example.com')).toEqual(
      invalid("Hostname does not look valid, could not convert to ACE a.*.example.com: Codepoint U+002A at position 1 of '*' not allowed"),
    )
    expect(await add('-bad.example.com')).toEqual(
      invalid('Hostname does not look valid, could not convert to ACE -bad.example.com: Label must not start or end with a hyphen'),
    )
    expect(await add('a..b')).toEqual(invalid('Hostname does not look valid, could not convert to ACE a..b: Empty Label'))
    expect(await add('example.123')).toEqual(invalid('Hostname does not look valid.'))
    expect(await add(`${'a.'.repeat(130)}com`)).toEqual(invalid('Hostname must be 253 characters or less.'))
    expect(await add('')).toEqual(invalid('This field may not be blank.'))
    expect(await call('POST', '/v2/apps/myapp/domains', {})).toEqual(invalid('This field is required.'))
    expect(stored()).toEqual(before)
  })

  it('stores Unicode names as punycode and keeps the case of ASCII labels', async () => {
    expect((await add('tëst.Example.com')).body.domain).toBe('xn--tst-jma.Example.com')
    expect(await call('DELETE', `/v2/apps/myapp/domains/${encodeURIComponent('tëst.Example.com')}`)).toEqual({status: 204, body: undefined})
    expect(stored()).not.toContain('xn--tst-jma.Example.com')
  })

  it('#70 #71 removes a domain (owner only), 404 when the app does not have it', async () => {
    expect(await call('DELETE', '/v2/apps/myapp/domains/*.wild.example.com', undefined, 'carol')).toEqual({
      status: 403,
      body: {detail: 'You do not have permission to perform this action.'},
    })
    expect(await call('DELETE', '/v2/apps/myapp/domains/*.wild.example.com')).toEqual({status: 204, body: undefined})
    expect(await call('DELETE', '/v2/apps/myapp/domains/nope.example.com')).toEqual({status: 404, body: 'No Domain matches the given query.'})
    expect(await call('DELETE', '/v2/apps/myapp/domains/bobapp')).toEqual({status: 404, body: 'No Domain matches the given query.'})
    expect(stored()).toEqual(['bobapp', 'myapp', 'myapp.example.com'])
  })

  it('lets collaborators add, and refuses strangers and unknown apps', async () => {
    expect((await add('carol.example.com', 'myapp', 'carol')).body).toMatchObject({owner: 'carol', app: 'myapp'})
    expect(await add('bob.example.com', 'myapp', 'bob')).toEqual({status: 403, body: {detail: 'You do not have permission to perform this action.'}})
    expect(await call('GET', '/v2/apps/nope/domains')).toEqual({status: 404, body: 'No App matches the given query.'})
    expect(stored()).not.toContain('bob.example.com')
  })
})
