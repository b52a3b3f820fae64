import {describe, expect, it} from 'vitest'
import {useTestController} from '../helpers/controller.js'
import {apiCaller} from '../helpers/fetch-api.js'
import {findApp, updateApp} from '../../src/controller/model/apps.js'
import {countBuilds} from '../../src/controller/model/builds.js'
import {listReleases} from '../../src/controller/model/releases.js'

describe('controller: /v2/apps/{app}/builds/', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, async () => {
    for (const id of ['myapp', 'procapp']) expect((await call('POST', '/v2/apps/', {id})).status).toBe(201)
  })
  const call = apiCaller(() => ctl)
  const app = (id: string) => findApp(ctl.store, id)!

  it('#36 lists no builds, and GET one before any build answers the empty build', async () => {
    expect(await call('GET', '/v2/apps/myapp/builds')).toEqual({status: 200, body: {count: 0, next: null, previous: null, results: []}})
    expect(await call('GET', '/v2/apps/myapp/builds/anything')).toEqual({status: 200, body: {app: null, image: '', sha: '', procfile: null, dockerfile: ''}})
  })

  it('#39 needs an image, and a bad Procfile changes nothing', async () => {
    expect(await call('POST', '/v2/apps/myapp/builds', {})).toEqual({status: 400, body: {image: ['This field is required.']}})
    expect(await call('POST', '/v2/apps/myapp/builds', {image: 'x', procfile: {Web: 'a'}})).toEqual({
      status: 400,
      body: {procfile: ['Process types can only contain lowercase alphanumeric characters']},
    })
    expect(await call('POST', '/v2/apps/myapp/builds', {image: 'x', procfile: {web: ''}})).toEqual({
      status: 400,
      body: {procfile: ["Command can't be empty for process type"]},
    })
    expect(countBuilds(ctl.store)).toBe(0)
    expect(app('myapp').structure).toEqual({})
  })

  it('#38 #40-#42 deploys an image as cmd=1 and lists it', async () => {
    const r = await call('POST', '/v2/apps/myapp/builds', {image: 'deis/example-go'})
    expect(r.status).toBe(201)
    expect(Object.keys(r.body)).toEqual(['owner', 'app', 'image', 'sha', 'procfile', 'dockerfile', 'created', 'updated', 'uuid'])
    expect(r.body).toMatchObject({owner: 'alice', app: 'myapp', image: 'deis/example-go', sha: '', procfile: {}, dockerfile: ''})
    expect((await call('GET', '/v2/apps/myapp/builds')).body).toMatchObject({count: 1, results: [r.body]})
    expect((await call('GET', `/v2/apps/myapp/builds/${r.body.uuid}`)).body).toEqual(r.body)
    expect(app('myapp')).toMatchObject({structure: {cmd: 1}, procfile_structure: {cmd: 1}})
    const rel = listReleases(ctl.store, 'myapp')[0]
    expect(rel).toMatchObject({version: 2, summary: 'alice deployed deis/example-go', build: r.body.uuid})
  })

  it('#55 #57 scales only web on a first deploy with a Procfile and keeps it as procfile_structure', async () => {
    const procfile = {web: './server', worker: './worker'}
    expect((await call('POST', '/v2/apps/procapp/builds', {image: 'deis/example-go', procfile})).status).toBe(201)
    expect(app('procapp')).toMatchObject({structure: {web: 1}, procfile_structure: procfile})
    updateApp(ctl.store, 'procapp', {structure: {web: 2, worker: 1}})
    expect((await call('POST', '/v2/apps/procapp/builds', {image: 'deis/example-go:2', procfile: {web: './server'}})).status).toBe(201)
    expect(app('procapp').structure).toEqual({web: 2, worker: 0})
  })

  it('names a sha build by its first 7 characters and lists newest first', async () => {
    await call('POST', '/v2/apps/myapp/builds', {image: 'reg/x:git-1', sha: 'abcdef0123456789'})
    const list = await call('GET', '/v2/apps/myapp/builds?limit=1')
    expect(list.body).toMatchObject({count: 2, results: [{sha: 'abcdef0123456789'}]})
    expect(list.body.next).toBe(`${ctl.url}/v2/apps/myapp/builds?limit=1&offset=1`)
    const rel = listReleases(ctl.store, 'myapp')[0]
    expect(rel).toMatchObject({summary: 'alice deployed abcdef0'})
    // build type changed from image to buildpack: cmd zeroed, web=1 as the default
    expect(app('myapp').structure).toEqual({cmd: 0, web: 1})
  })

  it('refuses a stranger (403) and an unknown app (404)', async () => {
    expect(await call('POST', '/v2/apps/myapp/builds', {image: 'x'}, 'bob')).toEqual({status: 403, body: {detail: 'You do not have permission to perform this action.'}})
    expect(await call('GET', '/v2/apps/nope/builds')).toEqual({status: 404, body: 'No App matches the given query.'})
  })
})
