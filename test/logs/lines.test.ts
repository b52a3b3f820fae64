import {describe, expect, it} from 'vitest'
import {lineTag, logLines} from '../../src/logs/lines.js'

const T = '2026-11-25T03:18:28+00:00'

describe('log line tags', () => {
  it('reads the type from every line format controller-api.md lists', () => {
    expect(lineTag(`${T} example-app[web.v3.x8k2q]: listening on :5000`)).toEqual({source: 'example-app[web.v3.x8k2q]', type: 'web'})
    expect(lineTag(`${T} deis[controller]: INFO alice scaled pods web=2`)).toEqual({source: 'deis[controller]', type: 'controller'})
    expect(lineTag(`${T} example-app[web.1]: listening`)).toEqual({source: 'example-app[web.1]', type: 'web'})
    expect(lineTag('INFO [example-app]: alice scaled pods web=2')).toEqual({source: 'deis[controller]', type: 'controller'})
    expect(lineTag('example-app-web-3374257146-x8k2q -- listening')).toEqual({source: 'example-app-web-3374257146-x8k2q', type: 'web'})
    expect(lineTag('example-app-my-worker-3374257146-x8k2q -- tick', 'example-app')).toEqual({source: 'example-app-my-worker-3374257146-x8k2q', type: 'my-worker'})
    expect(lineTag('plain text')).toBeUndefined()
  })

  it('keeps the lines of one type in mixed formats', () => {
    const body = [
      `${T} deis[controller]: INFO alice scaled pods web=2`,
      `${T} example-app[web.v3.x8k2q]: new`,
      'example-app-web-3374257146-b7zq4 -- old',
      'INFO [example-app]: alice deployed 1234567',
      `${T} example-app[worker.v3.p2m9d]: tick`,
    ].join('\n')
    expect(logLines(`${body}\n`, 'web', 'example-app')).toEqual([`${T} example-app[web.v3.x8k2q]: new`, 'example-app-web-3374257146-b7zq4 -- old'])
    expect(logLines(`${body}\n`, 'controller', 'example-app')).toEqual([`${T} deis[controller]: INFO alice scaled pods web=2`, 'INFO [example-app]: alice deployed 1234567'])
  })
})
