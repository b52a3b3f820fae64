import {describe, expect, it} from 'vitest'
import {useTestController} from '../helpers/controller.js'
import {apiCaller} from '../helpers/fetch-api.js'
import {countReleases} from '../../src/controller/model/releases.js'

describe('controller: /v2/apps/{app}/releases/', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, async () => {
    expect((await call('POST', '/v2/apps/', {id: 'myapp'})).status).toBe(201)
  })
  const call = apiCaller(() => ctl)
  const count = () => countReleases(ctl.store, 'myapp')

  it('#104 a fresh app has v1 with no build, in the controller key order', async () => {
    const r = await call('GET', '/v2/apps/myapp/releases/v1')
    expect(r.status).toBe(200)
    expect(Object.keys(r.body)).toEqual(['uuid', 'app', 'owner', 'created', 'updated', 'version', 'summary', 'failed', 'exception', 'config', 'build'])
    expect(r.body).toMatchObject({app: 'myapp', owner: 'alice', version: 1, summary: 'alice created initial release', failed: false, exception: null, build: null})
    expect(await call('GET', '/v2/apps/myapp/releases/v99')).toEqual({status: 404, body: 'No Release matches the given query.'})
  })

  it('a fresh app cannot roll back: version cannot be below 0', async () => {
    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {})).toEqual({status: 400, body: {detail: 'version cannot be below 0'}})
    expect(count()).toBe(1)
  })

  it('#103 #106-#111 lists newest first and rolls back like the controller', async () => {
    await call('POST', '/v2/apps/myapp/config', {values: {FOO: 'bar'}}) // v2, config only
    await call('POST', '/v2/apps/myapp/builds', {image: 'deis/example-go'}) // v3
    await call('POST', '/v2/apps/myapp/config', {values: {X: '1'}}) // v4
    await call('POST', '/v2/apps/myapp/config', {values: {Y: '1'}}) // v5
    const list = await call('GET', '/v2/apps/myapp/releases')
    expect(list.body.results.map((r: {version: number}) => r.version)).toEqual([5, 4, 3, 2, 1])
    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {})).toEqual({status: 201, body: {version: 6}})
    const v6 = (await call('GET', '/v2/apps/myapp/releases/v6')).body
    const v4 = (await call('GET', '/v2/apps/myapp/releases/v4')).body
    expect(v6).toMatchObject({summary: 'alice rolled back to v4', config: v4.config, build: v4.build})
    expect((await call('GET', '/v2/apps/myapp/config')).body.values).toEqual({FOO: 'bar', X: '1'})

    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {version: 2})).toEqual({status: 400, body: {detail: 'No build associated with this release'}})
    expect((await call('GET', '/v2/apps/myapp/releases/v7')).body).toMatchObject({
      summary: 'alice performed roll back to a release that failed',
      failed: true,
      exception: 'error: No build associated with this release',
      build: null,
    })
    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {version: 1})).toEqual({status: 400, body: {detail: 'Cannot roll back to initial release.'}})
    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {version: 7})).toEqual({status: 400, body: {detail: 'Cannot roll back to failed release.'}})
    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {version: 50})).toEqual({status: 400, body: {detail: 'Release matching query does not exist.'}})
    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {version: 'x'})).toEqual({status: 400, body: {detail: "invalid literal for int() with base 10: 'x'"}})
    expect(count()).toBe(7)
    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {version: 3})).toEqual({status: 201, body: {version: 8}})

    const page = await call('GET', '/v2/apps/myapp/releases?limit=2')
    expect(page.body).toMatchObject({count: 8, next: `${ctl.url}/v2/apps/myapp/releases?limit=2&offset=2`, previous: null})
    expect(page.body.results.map((r: {version: number; failed: boolean}) => [r.version, r.failed])).toEqual([
      [8, false],
      [7, true],
    ])
  })

  it('refuses a stranger (403), an unknown app (404) and GET on rollback (405)', async () => {
    expect(await call('GET', '/v2/apps/myapp/releases', undefined, 'bob')).toEqual({status: 403, body: {detail: 'You do not have permission to perform this action.'}})
    expect(await call('POST', '/v2/apps/myapp/releases/rollback/', {}, 'bob')).toMatchObject({status: 403})
    expect(await call('GET', '/v2/apps/nope/releases/v1')).toEqual({status: 404, body: 'No App matches the given query.'})
    expect(await call('GET', '/v2/apps/myapp/releases/rollback')).toEqual({status: 405, body: {detail: 'Method "GET" not allowed.'}})
    expect(count()).toBe(8)
  })
})
