import {describe, expect, it} from 'vitest'
import {
  hasRelativeCounts,
  parseCounts,
  parseKeyValues,
  parseLabels,
  parseLimits,
  parseProcfileFlag,
  parseRegistry,
  parseTags,
  parseVersion,
} from '../../src/parse/key-values.js'

describe('key-values parsers', () => {
  it('parseKeyValues splits on the first "=", skips comments, later keys win', () => {
    expect(parseKeyValues(['A=1', '# note', 'B=x=y', 'A=2', 'E='])).toEqual({A: '2', B: 'x=y', E: ''})
    expect(() => parseKeyValues(['9A=1'])).toThrow("'9A=1' does not match the pattern 'key=var', ex: MODE=test")
  })

  it('parseCounts sets, adds and subtracts against the current counts', () => {
    expect(parseCounts(['web=3', 'worker+2', 'cmd-1'], {worker: 1, cmd: 2})).toEqual({web: 3, worker: 3, cmd: 1})
    expect(hasRelativeCounts(['web=3'])).toBe(false)
    expect(hasRelativeCounts(['web+1'])).toBe(true)
    expect(() => parseCounts(['web-2'], {web: 1})).toThrow('cannot scale web below zero: it has 1, asked for web-2')
    expect(() => parseCounts(['Web=2'])).toThrow("'Web=2' does not match the pattern")
  })

  it('parseLimits accepts the Go client forms and rejects the rest', () => {
    expect(parseLimits(['web=2G', 'db=1G/2G', 'a=100m', 'b=.2/.4', 'web-server1=1Gb'])).toEqual({web: '2G', db: '1G/2G', a: '100m', b: '.2/.4', 'web-server1': '1Gb'})
    for (const bad of ['=1', 'web=', 'web=G', 'web=/1', 'web-=2G', '-web=2G']) expect(() => parseLimits([bad])).toThrow("doesn't fit format")
  })

  it('parseProcfileFlag reads lines and the flow form; parseVersion takes v3 or 3', () => {
    expect(parseProcfileFlag('web: ./server\n# c\nworker: "./w --x"')).toEqual({web: './server', worker: './w --x'})
    expect(parseProcfileFlag('{web: a, cmd: b}')).toEqual({web: 'a', cmd: 'b'})
    expect(parseVersion('v3')).toBe(3)
    expect(parseVersion('12')).toBe(12)
    expect(() => parseVersion('v')).toThrow("v is not in the form 'v#'")
  })

  it('parseTags, parseLabels and parseRegistry split on the first =, later duplicates win, and need one pair', () => {
    expect(parseTags(['rack=1', 'env=a=b', 'rack=2'])).toEqual({rack: '2', env: 'a=b'})
    expect(parseLabels(['team=x', 'git_repo=https://x.example/r?a=b'])).toEqual({team: 'x', git_repo: 'https://x.example/r?a=b'})
    expect(parseRegistry(['username=bob', 'password=p=w'])).toEqual({username: 'bob', password: 'p=w'})
    expect(() => parseTags(['rack='])).toThrow('rack= is invalid, Must be in format key=value')
    expect(() => parseLabels(['=x'])).toThrow('=x is invalid, Must be in format key=value')
    expect(() => parseRegistry(['username'])).toThrow('username is invalid. Must be in format key=value')
    expect(() => parseRegistry(['host=x'])).toThrow('host is invalid. Valid keys are "username" or "password"')
    for (const parse of [parseTags, parseLabels, parseRegistry, parseLimits]) expect(() => parse([])).toThrow(/^expected at least one (KEY=VALUE|TYPE=LIMIT)$/)
    expect(() => parseKeyValues(['# only a comment'])).toThrow('expected at least one KEY=VALUE, ex: MODE=test')
  })
})
