import {describe, expect, it} from 'vitest'
import {keepLine, lineTag, logLines} from '../../src/logs/lines.js'

const T = '2026-11-25T03:18:28+00:00'

describe('log line tags', () => {
  it('reads the source and writer from every line format controller-api.md lists', () => {
    expect(lineTag(`${T} example-app[web.v3.x8k2q]: listening on :5000`)).toEqual({source: 'example-app[web.v3.x8k2q]', type: 'web', from: 'app', proc: 'web.v3.x8k2q'})
    expect(lineTag(`${T} deis[controller]: INFO alice scaled pods web=2`)).toEqual({source: 'deis[controller]', type: 'controller', from: 'deis', proc: 'controller'})
    expect(lineTag(`${T} example-app[web.1]: listening`)).toEqual({source: 'example-app[web.1]', type: 'web', from: 'app', proc: 'web.1'})
    expect(lineTag('INFO [example-app]: alice scaled pods web=2')).toMatchObject({source: 'deis[controller]', type: 'controller', from: 'deis'})
    expect(lineTag('example-app-web-3374257146-x8k2q -- listening')).toMatchObject({source: 'example-app-web-3374257146-x8k2q', from: 'app'})
    expect(lineTag('plain text')).toBeUndefined()
  })

  it('matches a type inside an older pod name, hyphenated types too', () => {
    expect(keepLine('example-app-web-3374257146-x8k2q -- listening', {type: 'web'})).toBe(true)
    expect(keepLine('example-app-my-worker-3374257146-x8k2q -- tick', {type: 'my-worker'})).toBe(true)
    expect(keepLine('example-app-my-worker-3374257146-x8k2q -- tick', {type: 'web'})).toBe(false)
  })

  it('keeps the lines of one type in mixed formats', () => {
    const body = [
      `${T} deis[controller]: INFO alice scaled pods web=2`,
      `${T} example-app[web.v3.x8k2q]: new`,
      'example-app-web-3374257146-b7zq4 -- old',
      'INFO [example-app]: alice deployed 1234567',
      `${T} example-app[worker.v3.p2m9d]: tick`,
    ].join('\n')
    expect(logLines(`${body}\n`, {type: 'web'})).toEqual([`${T} example-app[web.v3.x8k2q]: new`, 'example-app-web-3374257146-b7zq4 -- old'])
    expect(logLines(`${body}\n`, {type: 'controller'})).toEqual([`${T} deis[controller]: INFO alice scaled pods web=2`, 'INFO [example-app]: alice deployed 1234567'])
  })
})
