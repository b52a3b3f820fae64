import {describe, expect, it} from 'vitest'
import {infoBlock} from '../../src/output/format.js'

describe('infoBlock', () => {
  it('pads each label to the longest label plus two columns, as cli-surface §5.2.1 prints apps:info', () => {
    expect(
      infoBlock([
        ['updated', '2016-08-22T17:40:16Z'],
        ['uuid', 'c4aed81c'],
        ['id', 'myapp'],
      ]),
    ).toEqual(['updated:  2016-08-22T17:40:16Z', 'uuid:     c4aed81c', 'id:       myapp'])
  })

  it('prints a null row as a blank line and aligns across it, as §5.2.5 prints certs:info', () => {
    expect(infoBlock([['Common Name(s)', 'test.example.com'], null, ['Connected Domains', 'test.com']])).toEqual([
      'Common Name(s):     test.example.com',
      '',
      'Connected Domains:  test.com',
    ])
  })
})
