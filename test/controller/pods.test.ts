import {describe, expect, it} from 'vitest'
import {useTestController} from '../helpers/controller.js'
import {apiCaller} from '../helpers/fetch-api.js'
import {findApp} from '../../src/controller/model/apps.js'

describe('controller: pods, scale and run', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, async () => {
    for (const id of ['myapp', 'procapp']) expect((await call('POST', '/v2/apps/', {id})).status).toBe(201)
  })
  const call = apiCaller(() => ctl)
  const names = (pods: Array<{name: string}>) => pods.map(p => p.name).sort()

  it('#37 #53 refuses scale and run before any build, run without a command first', async () => {
    expect(await call('POST', '/v2/apps/myapp/scale', {cmd: 1})).toEqual({status: 400, body: {detail: 'No build associated with this release'}})
    expect(await call('POST', '/v2/apps/myapp/run', {})).toEqual({status: 400, body: {detail: 'command is a required field'}})
    expect(await call('POST', '/v2/apps/myapp/run', {command: 'ls'})).toEqual({status: 400, body: {detail: 'No build associated with this release to run this command'}})
    expect(await call('GET', '/v2/apps/myapp/pods')).toEqual({status: 200, body: {results: [], count: 0}})
  })

  it('#43 lists the deployed cmd pod with the envelope and key order of the controller', async () => {
    expect((await call('POST', '/v2/apps/myapp/builds', {image: 'deis/example-go'})).status).toBe(201)
    const r = await call('GET', '/v2/apps/myapp/pods')
    expect(r.status).toBe(200)
    expect(Object.keys(r.body)).toEqual(['results', 'count'])
    expect(r.body.count).toBe(1)
    expect(Object.keys(r.body.results[0])).toEqual(['name', 'state', 'release', 'type', 'started'])
    expect(r.body.results[0]).toMatchObject({state: 'up', release: 'v2', type: 'cmd'})
    expect(r.body.results[0].name).toMatch(/^myapp-cmd-\d{9,10}-[a-z0-9]{5}$/)
    expect(r.body.results[0].started).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('#44 #45 #46 scales cmd=3 (204) and lists the pods, all of one type too', async () => {
    const before = (await call('GET', '/v2/apps/myapp/pods')).body.results[0].name
    expect(await call('POST', '/v2/apps/myapp/scale', {cmd: '3'})).toEqual({status: 204, body: undefined})
    expect(findApp(ctl.store, 'myapp')!.structure).toEqual({cmd: 3})
    const all = await call('GET', '/v2/apps/myapp/pods')
    expect(all.body.count).toBe(3)
    expect(names(all.body.results)).toContain(before)
    expect(await call('GET', '/v2/apps/myapp/pods/cmd')).toEqual(all)
    expect(await call('GET', '/v2/apps/myapp/pods/web/')).toEqual({status: 200, body: {results: [], count: 0}})
    const one = all.body.results[1]
    expect(await call('GET', `/v2/apps/myapp/pods/cmd/${one.name}`)).toEqual({status: 200, body: {results: [one], count: 1}})
    expect(await call('GET', '/v2/apps/myapp/pods/cmd/myapp-cmd-1-abcde')).toEqual({status: 200, body: {results: [], count: 0}})
  })

  it('#47 #48 #49 rejects unknown types, non-integers and negatives, leaving the structure alone', async () => {
    expect(await call('POST', '/v2/apps/myapp/scale', {web: 1})).toEqual({status: 404, body: {detail: 'Container type web does not exist in application'}})
    expect(await call('POST', '/v2/apps/myapp/scale', {cmd: 'many'})).toEqual({
      status: 400,
      body: {detail: "Invalid scaling format: invalid literal for int() with base 10: 'many'"},
    })
    expect(await call('POST', '/v2/apps/myapp/scale', {cmd: -1})).toEqual({
      status: 400,
      body: {detail: "Invalid scaling format: [ErrorDetail(string='Must be greater than or equal to zero', code='invalid')]"},
    })
    expect(await call('POST', '/v2/apps/myapp/scale', {cmd: null})).toEqual({
      status: 400,
      body: {detail: "Invalid scaling format: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"},
    })
    expect(findApp(ctl.store, 'myapp')!.structure).toEqual({cmd: 3})
    expect((await call('GET', '/v2/apps/myapp/pods')).body.count).toBe(3)
  })

  it('#50 #51 scales down and restarts every pod with new names', async () => {
    expect((await call('POST', '/v2/apps/myapp/scale', {cmd: 1})).status).toBe(204)
    const [pod] = (await call('GET', '/v2/apps/myapp/pods')).body.results
    const r = await call('POST', '/v2/apps/myapp/pods/restart', {})
    expect(r.status).toBe(200)
    expect(r.body).toHaveLength(1)
    expect(r.body[0]).toMatchObject({type: 'cmd', state: 'up', release: 'v2'})
    expect(r.body[0].name).not.toBe(pod.name)
    expect((await call('GET', '/v2/apps/myapp/pods')).body.results).toEqual(r.body)
  })

  it('restarts by type and by short or full name; nothing matching is an empty list', async () => {
    expect(await call('POST', '/v2/apps/myapp/pods/web/restart/')).toEqual({status: 200, body: []})
    const [pod] = (await call('GET', '/v2/apps/myapp/pods')).body.results
    const short = pod.name.replace(/^myapp-/, '')
    const byName = await call('POST', `/v2/apps/myapp/pods/cmd/${short}/restart`)
    expect(byName.body).toHaveLength(1)
    const byType = await call('POST', '/v2/apps/myapp/pods/cmd/restart')
    expect(byType.body).toHaveLength(1)
    expect(byType.body[0].name).not.toBe(byName.body[0].name)
  })

  it('#52 runs a command as the mock scheduler answers', async () => {
    expect(await call('POST', '/v2/apps/myapp/run', {command: 'echo hi'})).toEqual({status: 200, body: {exit_code: 0, output: '"I did stuff today"'}})
  })

  it('#56 #57 #58 scales Procfile types, keeping the Procfile as procfile_structure', async () => {
    const procfile = {web: './server', worker: './worker'}
    expect((await call('POST', '/v2/apps/procapp/builds', {image: 'deis/example-go', procfile})).status).toBe(201)
    expect((await call('POST', '/v2/apps/procapp/scale', {web: 2, worker: 1})).status).toBe(204)
    expect(findApp(ctl.store, 'procapp')).toMatchObject({structure: {web: 2, worker: 1}, procfile_structure: procfile})
    const pods = (await call('GET', '/v2/apps/procapp/pods')).body
    expect(pods.count).toBe(3)
    expect(pods.results.map((p: {type: string}) => p.type).sort()).toEqual(['web', 'web', 'worker'])
  })

  it('moves the pods to a new release on deploy', async () => {
    expect((await call('POST', '/v2/apps/procapp/config', {values: {A: '1'}})).status).toBe(201)
    const pods = (await call('GET', '/v2/apps/procapp/pods')).body.results
    expect(pods.map((p: {release: string}) => p.release)).toEqual(['v3', 'v3', 'v3'])
  })

  it('answers 404 for an unknown app and 403 for a stranger, scale included', async () => {
    expect(await call('GET', '/v2/apps/nope/pods')).toEqual({status: 404, body: 'No App matches the given query.'})
    expect(await call('GET', '/v2/apps/myapp/pods', undefined, 'bob')).toEqual({status: 403, body: {detail: 'You do not have permission to perform this action.'}})
    expect((await call('POST', '/v2/apps/myapp/scale', {cmd: 5}, 'bob')).status).toBe(403)
    expect(findApp(ctl.store, 'myapp')!.structure).toEqual({cmd: 1})
  })
})
