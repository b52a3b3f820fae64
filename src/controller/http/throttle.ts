import {HttpError} from './reply.js'

/** Limits on failed logins: per username and address, and per username from anywhere (never per address alone). */
export type ThrottleLimits = {windowMs: number; perAddress: number; perUser: number}

export const LOGIN_LIMITS: ThrottleLimits = {windowMs: 15 * 60_000, perAddress: 10, perUser: 50}

// bounds the memory an attacker trying many usernames can make the controller hold
const MAX_USERNAMES = 10_000

/**
 * Failed logins in the last window, by username and then address. On the local machine every client is
 * 127.0.0.1, so an address is only ever counted together with a username. Held in memory: a restart forgets.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Map<string, number[]>>()

  constructor(
    private readonly limits: ThrottleLimits = LOGIN_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Throws DRF's 429 with Retry-After while `username` may not try again from `address`; otherwise counts this
   * attempt as a failure until `succeed` says otherwise. Counting before the (slow) password check means a burst
   * of parallel attempts cannot all pass the check before any of them has failed.
   */
  attempt(username: string, address: string): void {
    this.check(username, address)
    this.fail(username, address)
  }

  private check(username: string, address: string): void {
    const byAddress = this.current(username)
    if (!byAddress) return
    const here = byAddress.get(address) ?? []
    const all = [...byAddress.values()].flat().sort((a, b) => a - b)
    const waits: number[] = []
    // the wait ends when the oldest failure that keeps the count at the limit leaves the window
    if (here.length >= this.limits.perAddress) waits.push(here[here.length - this.limits.perAddress]! + this.limits.windowMs)
    if (all.length >= this.limits.perUser) waits.push(all[all.length - this.limits.perUser]! + this.limits.windowMs)
    if (waits.length === 0) return
    const seconds = Math.max(1, Math.ceil((Math.max(...waits) - this.clock()) / 1000))
    throw new HttpError(429, {detail: `Request was throttled. Expected available in ${seconds} seconds.`}, {'Retry-After': String(seconds)})
  }

  private fail(username: string, address: string): void {
    let byAddress = this.current(username)
    if (!byAddress) {
      if (this.failures.size >= MAX_USERNAMES) this.prune()
      byAddress = new Map()
      this.failures.set(username, byAddress)
    }
    const list = byAddress.get(address) ?? []
    list.push(this.clock())
    byAddress.set(address, list)
  }

  /** A right password from `address` clears that address's failures for `username`; other addresses keep theirs. */
  succeed(username: string, address: string): void {
    const byAddress = this.failures.get(username)
    byAddress?.delete(address)
    if (byAddress?.size === 0) this.failures.delete(username)
  }

  /** The failures of `username` still in the window, with older ones dropped. */
  private current(username: string): Map<string, number[]> | undefined {
    const byAddress = this.failures.get(username)
    if (!byAddress) return undefined
    const since = this.clock() - this.limits.windowMs
    for (const [address, times] of byAddress) {
      const kept = times.filter(t => t > since)
      if (kept.length > 0) byAddress.set(address, kept)
      else byAddress.delete(address)
    }
    if (byAddress.size > 0) return byAddress
    this.failures.delete(username)
    return undefined
  }

  /** Drops expired usernames, then the longest-tracked ones, until there is room. */
  private prune(): void {
    for (const username of [...this.failures.keys()]) this.current(username)
    for (const username of this.failures.keys()) {
      if (this.failures.size < MAX_USERNAMES) break
      this.failures.delete(username)
    }
  }
}
