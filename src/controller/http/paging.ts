import type {Page} from '../../api/types.js'
import type {RouteContext} from './routes.js'

function int(value: string | null, fallback: number, min: number): number {
  if (value === null || !/^-?\d+$/.test(value)) return fallback
  const n = Number(value)
  return n < min ? fallback : n
}

/** DRF limit/offset pagination: limit defaults to 100 (0, negative or junk too), next/previous absolute. */
export function paginate<T>(ctx: Pick<RouteContext, 'query' | 'url'>, items: T[]): Page<T> {
  const limit = int(ctx.query.get('limit'), 100, 1)
  const offset = int(ctx.query.get('offset'), 0, 0)
  const link = (off: number | undefined) => {
    const u = new URL(ctx.url.href)
    u.searchParams.set('limit', String(limit))
    if (off === undefined) u.searchParams.delete('offset')
    else u.searchParams.set('offset', String(off))
    return u.href
  }
  const next = offset + limit < items.length ? link(offset + limit) : null
  const previous = offset <= 0 ? null : link(offset - limit > 0 ? offset - limit : undefined)
  return {count: items.length, next, previous, results: items.slice(offset, offset + limit)}
}
