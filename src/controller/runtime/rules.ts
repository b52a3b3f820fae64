import {BlockList, isIPv4} from 'node:net'

/** How the router treats requests for one app (its settings and TLS objects, controller-api.md §4.14-§4.16). */
export type Route = {
  app: string
  maintenance: boolean
  /** IP addresses and networks allowed in; empty allows everyone. */
  whitelist: string[]
  /** `tls:enable`: plain HTTP is redirected to HTTPS. */
  httpsEnforced: boolean
}

/** A request the Deis router's rules refuse: the status and headers of its error page. */
export type Refusal = {status: number; headers?: Record<string, string>}

const lists = new Map<string, BlockList>()

/** True when `address` is in `whitelist` (addresses, networks `a.b.c.d/n`, or interfaces `a.b.c.e/n`). */
export function allowed(whitelist: string[], address: string): boolean {
  if (whitelist.length === 0) return true
  const key = whitelist.join(',')
  let list = lists.get(key)
  if (!list) {
    list = new BlockList()
    for (const entry of whitelist) {
      const [ip, prefix] = entry.split('/')
      const type = isIPv4(ip!) ? 'ipv4' : 'ipv6'
      try {
        if (prefix === undefined) list.addAddress(ip!, type)
        else list.addSubnet(ip!, Number(prefix), type)
      } catch {
        // the controller validated the list; an entry node cannot read simply matches nothing
      }
    }
    lists.set(key, list)
  }
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6')
}

/**
 * The Deis router's checks, in its order: unknown host (404), whitelist (403), HTTPS enforced on
 * plain HTTP (301 to the same URL on the HTTPS port), maintenance (503); else the route.
 */
export function admit(route: Route | undefined, request: {name: string; target: string; address: string; secure: boolean; httpsPort: number}): Route | Refusal {
  if (!route) return {status: 404}
  if (!allowed(route.whitelist, request.address)) return {status: 403}
  if (route.httpsEnforced && !request.secure) {
    const port = request.httpsPort === 443 ? '' : `:${request.httpsPort}`
    return {status: 301, headers: {Location: `https://${request.name}${port}${request.target}`}}
  }
  if (route.maintenance) return {status: 503}
  return route
}
