import {describe, expect, it} from 'vitest'
import {howToCheck, idempotent, MAX_RETRY_AFTER_MS, retryDelay} from '../../src/api/faults.js'

describe('retry policy', () => {
  it('retries only GET and HEAD', () => {
    expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].filter(idempotent)).toEqual(['GET', 'HEAD'])
  })

  it('honours Retry-After in seconds and as an HTTP date, never waiting more than 10 s', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryDelay(1, '2', now)).toBe(2000)
    expect(retryDelay(1, '3600', now)).toBe(MAX_RETRY_AFTER_MS)
    expect(retryDelay(1, 'Thu, 01 Jan 2026 00:00:04 GMT', now)).toBe(4000)
    expect(retryDelay(1, 'Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0)
  })

  it('backs off exponentially with jitter when the server names no time', () => {
    expect([retryDelay(1, undefined, 0, () => 0), retryDelay(1, undefined, 0, () => 0.999)]).toEqual([125, 375])
    expect([retryDelay(2, undefined, 0, () => 0), retryDelay(2, 'soon', 0, () => 0.999)]).toEqual([250, 750])
  })

  it('names the command that shows whether a lost change was applied', () => {
    expect(howToCheck('/v2/apps/', {id: 'x'})).toBe('deis apps:list')
    expect(howToCheck('/v2/apps/web-app/', undefined)).toBe('deis apps:list')
    expect(howToCheck('/v2/apps/web-app/config/', {values: {A: '1'}})).toBe('deis config:list -a web-app')
    expect(howToCheck('/v2/apps/web-app/settings/', {label: {team: 'x'}})).toBe('deis labels:list -a web-app')
    expect(howToCheck('/v2/apps/web-app/settings/', {maintenance: true})).toBe('deis maintenance:info -a web-app')
    expect(howToCheck('/v2/apps/web-app/scale/', {web: 2})).toBe('deis ps:list -a web-app')
    expect(howToCheck('/v2/certs/example-com/domain/', {domain: 'a'})).toBe('deis certs:list')
    expect(howToCheck('/v2/keys/', {id: 'k'})).toBe('deis keys:list')
  })
})
