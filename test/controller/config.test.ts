import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestController, type TestController} from '../helpers/controller.js'
import {fetchApi} from '../helpers/fetch-api.js'
import {grant} from '../../src/controller/model/perms.js'
import {listReleases} from '../../src/controller/model/releases.js'

describe('controller: /v2/apps/{app}/config/', () => {
  let ctl: TestController
  const call = async (method: string, path: string, body?: unknown, user?: string) => {
    const r = await fetchApi(ctl, method, path, body, user)
    return {status: r.status, body: r.body, allow: r.headers.get('allow')}
  }
  const releases = () =>
    listReleases(ctl.store, 'myapp')
      .map(({version, summary, failed}) => ({version, summary, failed: Number(failed)}))
      .reverse()

  beforeAll(async () => {
    process.env.DEIS_NODE_LABELS = 'environ=dev'
    ctl = await startTestController({users: ['alice', 'bob', 'carol']})
    expect((await call('POST', '/v2/apps/', {id: 'myapp'})).status).toBe(201)
    grant(ctl.store, 'myapp', 'carol')
  })
  afterAll(() => ctl.close())

  it('#29 shows an empty config with every map, in the controller key order', async () => {
    const r = await call('GET', '/v2/apps/myapp/config')
    expect(r.status).toBe(200)
    expect(r.allow).toBe('GET, POST, HEAD, OPTIONS')
    expect(Object.keys(r.body)).toEqual([
      'uuid',
      'app',
      'owner',
      'values',
      'memory',
      'lifecycle_post_start',
      'lifecycle_pre_stop',
      'cpu',
      'tags',
      'registry',
      'healthcheck',
      'termination_grace_period',
      'created',
      'updated',
    ])
    expect(r.body).toMatchObject({app: 'myapp', owner: 'alice', values: {}, healthcheck: {}})
    expect(r.body.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(releases()).toEqual([{version: 1, summary: 'alice created initial release', failed: 0}])
  })

  it('#30-#33 sets, unsets and stringifies values, one release each', async () => {
    expect((await call('POST', '/v2/apps/myapp/config', {values: {FOO: 'bar', NUM: '42'}})).body.values).toEqual({FOO: 'bar', NUM: '42'})
    const unset = await call('POST', '/v2/apps/myapp/config', {values: {NUM: null}})
    expect(unset).toMatchObject({status: 201, body: {values: {FOO: 'bar'}, owner: 'alice'}})
    expect(await call('POST', '/v2/apps/myapp/config', {values: {NOPE: null}})).toMatchObject({status: 422, body: {detail: 'NOPE does not exist under values'}})
    expect((await call('POST', '/v2/apps/myapp/config', {values: {INT: 1}})).body.values).toEqual({FOO: 'bar', INT: '1'})
    expect(releases()).toEqual([
      {version: 1, summary: 'alice created initial release', failed: 0},
      {version: 2, summary: 'alice added FOO, NUM', failed: 0},
      {version: 3, summary: 'alice deleted NUM', failed: 0},
      {version: 4, summary: 'alice added INT', failed: 0},
    ])
    expect((await call('GET', '/v2/apps/myapp/config/')).body.values).toEqual({FOO: 'bar', INT: '1'})
  })

  it('#34 #35 rejects bad keys with 400 and an empty change with 409, creating nothing', async () => {
    expect(await call('POST', '/v2/apps/myapp/config', {values: {'bad key': 'x'}})).toEqual({
      status: 400,
      allow: 'GET, POST, HEAD, OPTIONS',
      body: {values: ['Config keys must start with a letter or underscore and only contain [A-z0-9_]']},
    })
    expect(await call('POST', '/v2/apps/myapp/config', {})).toMatchObject({status: 409, body: {detail: 'alice changed nothing - release stopped'}})
    expect(await call('POST', '/v2/apps/myapp/config', {values: {FOO: 'bar'}})).toMatchObject({status: 409})
    expect(releases()).toHaveLength(4)
  })

  it('validates PORT, limits, tags, registry and healthchecks with the controller texts', async () => {
    const cases: Array<[unknown, unknown]> = [
      [{values: {PORT: 'x'}}, {values: ['PORT can only be a numeric value']}],
      [{values: {PORT: '70000'}}, {values: ['PORT needs to be between 1 and 65535']}],
      [
        {values: {HEALTHCHECK_URL: 'http://x/y'}},
        {values: ['HEALTHCHECK_URL can only be a URI path (such as /healthz) that does not contain other things such as query params']},
      ],
      [{memory: {Web: '1G'}}, {memory: ['Process types can only contain lowercase alphanumeric characters']}],
      [{memory: {web: '1X'}}, {memory: ['Memory limit format: <number><unit> or <number><unit>/<number><unit>, where unit = B, K, M or G']}],
      [{cpu: {web: 'lots'}}, {cpu: ['CPU limit format: <value> or <value>/<value>, where value must be a numeric']}],
      [{tags: {'a b': 'x'}}, {tags: ['Tag keys must be alphanumeric or "-_.", and 1-63 characters.']}],
      [{tags: {ok: 'b@d'}}, {tags: ['Tag values must be alphanumeric or "-_.", and 1-63 characters.']}],
      [{healthcheck: {web: {startupProbe: {}}}}, {healthcheck: ['Healthcheck keys must be either livenessProbe or readinessProbe']}],
      [{healthcheck: {web: {livenessProbe: {httpGet: {path: '/'}}}}}, {healthcheck: ["could not validate {'httpGet': {'path': '/'}}: 'port' is a required property"]}],
      [{healthcheck: {web: {livenessProbe: {tcpSocket: {port: 1}, successThreshold: 2}}}}, {healthcheck: ['livenessProbe successThreshold can only be 1']}],
    ]
    for (const [body, expected] of cases) expect(await call('POST', '/v2/apps/myapp/config', body)).toMatchObject({status: 400, body: expected})
    expect(await call('POST', '/v2/apps/myapp/config', {registry: {username: 'bot'}})).toMatchObject({
      status: 400,
      body: {detail: 'PORT needs to be set in the config when using a private registry'},
    })
    expect(releases()).toHaveLength(4)
  })

  it('#59 #60 #62 limits, tags and healthchecks produce the real summaries', async () => {
    expect((await call('POST', '/v2/apps/myapp/config', {memory: {cmd: '64M'}, cpu: {cmd: '100m'}})).status).toBe(201)
    expect((await call('POST', '/v2/apps/myapp/config', {tags: {environ: 'dev'}})).status).toBe(201)
    const hc = {cmd: {livenessProbe: {httpGet: {path: '/', port: 5000}, initialDelaySeconds: 1}}}
    const r = await call('POST', '/v2/apps/myapp/config', {healthcheck: hc})
    expect(r.body.healthcheck).toEqual(hc)
    expect((await call('POST', '/v2/apps/myapp/config', {values: {PORT: 5000}, registry: {Username: 'bot'}})).body.registry).toEqual({username: 'bot'})
    expect(
      releases()
        .slice(4)
        .map(x => (x as {summary: string}).summary),
    ).toEqual([
      'alice changed limits for memory, cpu',
      'alice added tag environ',
      'alice added healthcheck info for proc type cmd',
      'alice added PORT and alice added registry info username',
    ])
  })

  it('removes one probe, then the type, and 422s on a missing one', async () => {
    expect((await call('POST', '/v2/apps/myapp/config', {healthcheck: {cmd: {livenessProbe: null}}})).body.healthcheck).toEqual({})
    expect(await call('POST', '/v2/apps/myapp/config', {healthcheck: {cmd: null}})).toMatchObject({status: 422, body: {detail: 'cmd does not exist under healthcheck'}})
  })

  it('turns HEALTHCHECK_* values into web/cmd probes', async () => {
    const r = await call('POST', '/v2/apps/myapp/config', {values: {HEALTHCHECK_URL: '/healthz', HEALTHCHECK_TIMEOUT: '5'}})
    expect(r.body.values).toEqual({FOO: 'bar', INT: '1', PORT: '5000'})
    expect(r.body.healthcheck['web/cmd'].readinessProbe).toEqual({
      initialDelaySeconds: 50,
      timeoutSeconds: 5,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
      httpGet: {path: '/healthz', port: 5000},
    })
  })

  it('lets a collaborator post, refuses a stranger with 403 and an unknown app with 404', async () => {
    expect((await call('POST', '/v2/apps/myapp/config', {values: {BY: 'carol'}}, 'carol')).body.owner).toBe('carol')
    expect(await call('GET', '/v2/apps/myapp/config', undefined, 'bob')).toMatchObject({status: 403, body: {detail: 'You do not have permission to perform this action.'}})
    expect(await call('GET', '/v2/apps/nope/config')).toMatchObject({status: 404, body: 'No App matches the given query.'})
    expect(await call('DELETE', '/v2/apps/myapp/config')).toMatchObject({status: 405, body: {detail: 'Method "DELETE" not allowed.'}})
    expect(await call('POST', '/v2/apps/myapp/config', [1])).toMatchObject({status: 400, body: {non_field_errors: ['Invalid data. Expected a dictionary, but got list.']}})
  })
})
