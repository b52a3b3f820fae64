import {describe, expect, it} from 'vitest'
import {useTestController} from '../helpers/controller.js'
import {apiCaller} from '../helpers/fetch-api.js'
import {grant} from '../../src/controller/model/perms.js'
import {settingsHistory} from '../../src/controller/model/settings.js'

describe('controller: /v2/apps/{app}/settings/ and /whitelist/', () => {
  const ctl = useTestController({users: ['alice', 'bob', 'carol']}, async () => {
    expect((await call('POST', '/v2/apps/', {id: 'myapp'})).status).toBe(201)
    grant(ctl.store, 'myapp', 'carol')
  })
  const call = apiCaller(() => ctl)
  const history = () => settingsHistory(ctl.store, 'myapp')
  const post = (body: unknown, user = 'alice') => call('POST', '/v2/apps/myapp/settings', body, user)

  it('#119 starts with maintenance off, routable, and nothing else', async () => {
    const r = await call('GET', '/v2/apps/myapp/settings')
    expect(r.status).toBe(200)
    expect(Object.keys(r.body)).toEqual(['uuid', 'app', 'owner', 'autoscale', 'label', 'created', 'updated', 'maintenance', 'routable', 'whitelist'])
    expect(r.body).toMatchObject({app: 'myapp', owner: 'alice', autoscale: {}, label: {}, maintenance: false, routable: true, whitelist: []})
  })

  it('#120 turns maintenance on as a new settings object, 409 when nothing changes', async () => {
    const r = await post({maintenance: true})
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({maintenance: true, routable: true})
    expect(history()).toBe(2)
    expect(await post({maintenance: 'true'})).toEqual({status: 409, body: {detail: 'alice changed nothing'}})
    expect(await post({})).toEqual({status: 409, body: {detail: 'alice changed nothing'}})
    expect((await post({routable: 'f'}, 'carol')).body).toMatchObject({owner: 'carol', maintenance: true, routable: false})
    expect(history()).toBe(3)
  })

  it('merges autoscale and labels, null removes, 422 for what is not there', async () => {
    expect((await post({autoscale: {web: {min: 2, max: 6, cpu_percent: 70}}})).body.autoscale).toEqual({web: {min: 2, max: 6, cpu_percent: 70}})
    expect((await post({label: {team: 'payments', git_repo: 'https://x/y'}})).body.label).toEqual({team: 'payments', git_repo: 'https://x/y'})
    expect((await post({label: {git_repo: null}})).body).toMatchObject({label: {team: 'payments'}, autoscale: {web: {min: 2, max: 6, cpu_percent: 70}}})
    expect(await post({label: {nope: null}})).toEqual({status: 422, body: {detail: 'nope does not exist under label'}})
    expect(await post({autoscale: {worker: null}})).toEqual({status: 422, body: {detail: 'worker does not exist under autoscale'}})
    expect((await post({autoscale: {web: null}})).body.autoscale).toEqual({})
  })

  it('validates every field and changes nothing on bad input', async () => {
    const before = history()
    expect(await post({maintenance: 'maybe'})).toEqual({status: 400, body: {maintenance: ['Must be a valid boolean.']}})
    expect(await post({autoscale: {web: {min: 2, cpu_percent: 70}}})).toEqual({
      status: 400,
      body: {autoscale: ["could not validate {'min': 2, 'cpu_percent': 70}: 'max' is a required property"]},
    })
    expect(await post({autoscale: {web: {min: 'x', max: 2, cpu_percent: 70}}})).toEqual({
      status: 400,
      body: {autoscale: ["could not validate {'min': 'x', 'max': 2, 'cpu_percent': 70}: 'x' is not of type 'integer'"]},
    })
    expect(await post({whitelist: ['1.2.3.4.5'], routable: 'x'})).toEqual({
      status: 400,
      body: {routable: ['Must be a valid boolean.'], whitelist: ['The address 1.2.3.4.5 is not valid']},
    })
    expect(await post([1])).toEqual({status: 400, body: {non_field_errors: ['Invalid data. Expected a dictionary, but got list.']}})
    expect(history()).toBe(before)
  })

  it('#121 #122 #123 adds to and removes from the whitelist', async () => {
    const r = await call('POST', '/v2/apps/myapp/whitelist', {addresses: ['10.0.0.1', '192.168.0.0/24']})
    expect(r.status).toBe(201)
    expect(r.body.addresses.sort()).toEqual(['10.0.0.1', '192.168.0.0/24'])
    expect((await call('GET', '/v2/apps/myapp/whitelist')).body.addresses.sort()).toEqual(['10.0.0.1', '192.168.0.0/24'])
    expect(await call('POST', '/v2/apps/myapp/whitelist', {addresses: ['10.0.0.1']})).toEqual({status: 409, body: {detail: 'alice changed nothing'}})
    expect(await call('POST', '/v2/apps/myapp/whitelist', {addresses: ['1.2.3.4.5']})).toEqual({status: 400, body: ['The address 1.2.3.4.5 is not valid']})
    expect(await call('DELETE', '/v2/apps/myapp/whitelist', {addresses: ['2.3.4.6']})).toEqual({
      status: 422,
      body: {detail: "addresses {'2.3.4.6'} does not exist in whitelist"},
    })
    expect((await call('DELETE', '/v2/apps/myapp/whitelist', {addresses: ['10.0.0.1']}, 'carol')).status).toBe(403)
    expect(await call('DELETE', '/v2/apps/myapp/whitelist', {addresses: ['10.0.0.1']})).toEqual({status: 204, body: undefined})
    expect((await call('GET', '/v2/apps/myapp/settings')).body.whitelist).toEqual(['192.168.0.0/24'])
  })

  it('refuses strangers (403) and unknown apps (404)', async () => {
    expect(await call('GET', '/v2/apps/myapp/settings', undefined, 'bob')).toEqual({status: 403, body: {detail: 'You do not have permission to perform this action.'}})
    expect((await post({maintenance: false}, 'bob')).status).toBe(403)
    expect(await call('GET', '/v2/apps/nope/whitelist')).toEqual({status: 404, body: 'No App matches the given query.'})
  })
})

describe('controller: /v2/apps/{app}/tls/', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, async () => {
    expect((await call('POST', '/v2/apps/', {id: 'myapp'})).status).toBe(201)
  })
  const call = apiCaller(() => ctl)

  it('#83 #84 starts not set, enforces HTTPS, 409 on the same value, 400 on junk', async () => {
    const r = await call('GET', '/v2/apps/myapp/tls')
    expect(Object.keys(r.body)).toEqual(['uuid', 'app', 'owner', 'created', 'updated', 'https_enforced'])
    expect(r.body).toMatchObject({app: 'myapp', owner: 'alice', https_enforced: null})
    const on = await call('POST', '/v2/apps/myapp/tls', {https_enforced: true})
    expect(on.status).toBe(201)
    expect(on.body).toMatchObject({https_enforced: true})
    expect(await call('POST', '/v2/apps/myapp/tls', {https_enforced: true})).toEqual({status: 409, body: {detail: 'alice changed nothing'}})
    expect(await call('POST', '/v2/apps/myapp/tls', {https_enforced: 'x'})).toEqual({status: 400, body: {https_enforced: ['Must be a valid boolean.']}})
    expect((await call('GET', '/v2/apps/myapp/tls')).body.https_enforced).toBe(true)
    expect((await call('POST', '/v2/apps/myapp/tls', {https_enforced: false})).body.https_enforced).toBe(false)
    expect((await call('GET', '/v2/apps/myapp/tls', undefined, 'bob')).status).toBe(403)
  })
})
