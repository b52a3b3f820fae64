import type {Page} from '../../api/types.js'
import type {RouteContext} from './routes.js'

/** Which slice of a list a request asks for. */
export type Slice = {limit: number; offset: number}

function int(value: string | null, fallback: number, min: number): number {
  if (value === null || !/^-?\d+$/.test(value)) return fallback
  const n = Number(value)
  return n < min ? fallback : n
}

/** DRF limit/offset parameters: limit defaults to 100 (0, negative or junk too), offset to 0. */
export function sliceOf(ctx: Pick<RouteContext, 'query'>): Slice {
  return {limit: int(ctx.query.get('limit'), 100, 1), offset: int(ctx.query.get('offset'), 0, 0)}
}

/**
 * A page of a list of `count` items whose requested slice is `results` (the model reads only that
 * slice), with DRF's absolute next/previous links.
 */
export function page<T>(ctx: Pick<RouteContext, 'query' | 'url'>, count: number, results: T[]): Page<T> {
  const {limit, offset} = sliceOf(ctx)
  const link = (off: number | undefined) => {
    const u = new URL(ctx.url.href)
    u.searchParams.set('limit', String(limit))
    if (off === undefined) u.searchParams.delete('offset')
    else u.searchParams.set('offset', String(off))
    return u.href
  }
  const next = offset + limit < count ? link(offset + limit) : null
  const previous = offset <= 0 ? null : link(offset - limit > 0 ? offset - limit : undefined)
  return {count, next, previous, results}
}

/** DRF pagination of a whole list already in memory. */
export function paginate<T>(ctx: Pick<RouteContext, 'query' | 'url'>, items: T[]): Page<T> {
  const {limit, offset} = sliceOf(ctx)
  return page(ctx, items.length, items.slice(offset, offset + limit))
}
