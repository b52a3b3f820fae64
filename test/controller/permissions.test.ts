import {describe, expect, it} from 'vitest'
import type {Route} from '../../src/controller/http/routes.js'
import {useTestController} from '../helpers/controller.js'

type Role = 'owner' | 'collaborator' | 'stranger' | 'admin' | 'anonymous' | 'unknownApp'
type Expect = number | 'ok'
type Case = {method: string; path: string; body: unknown; expect: Record<Role, Expect>}

const ROLES: Role[] = ['anonymous', 'unknownApp', 'stranger', 'collaborator', 'admin', 'owner']
const APP_404 = '"No App matches the given query."'

/** What each role gets on an app endpoint by default (controller-api §2.4): 'ok' = any answer but 401/403/app-404/5xx. */
const DEFAULT: Record<string, Record<Role, Expect>> = {
  GET: {owner: 'ok', admin: 'ok', collaborator: 'ok', stranger: 403, anonymous: 401, unknownApp: 404},
  POST: {owner: 'ok', admin: 'ok', collaborator: 'ok', stranger: 403, anonymous: 401, unknownApp: 404},
  DELETE: {owner: 'ok', admin: 'ok', collaborator: 403, stranger: 403, anonymous: 401, unknownApp: 404},
}

/** Exceptions to DEFAULT, by method and path ending (after the app id). */
const OVERRIDES: Array<{method: string; tail: RegExp; expect: Partial<Record<Role, Expect>>; why: string}> = [
  {method: 'POST', tail: /^\/perms\/?$/, expect: {collaborator: 403}, why: 'only owners and admins share an app'},
  {method: 'DELETE', tail: /^\/perms\/[^/]+\/?$/, expect: {collaborator: 'ok'}, why: 'a collaborator may remove themself'},
]

/** Bodies that make a POST/DELETE meaningful; any other endpoint gets `{}`. */
const BODIES: Array<{method: string; tail: RegExp; body: unknown}> = [
  {method: 'POST', tail: /^\/perms\/?$/, body: {username: 'stranger'}},
  {method: 'POST', tail: /^\/config\/?$/, body: {values: {EXAMPLE: '1'}}},
  {method: 'POST', tail: /^\/domains\/?$/, body: {domain: 'www.example.com'}},
  {method: 'POST', tail: /^\/whitelist\/?$/, body: {addresses: ['10.0.0.1']}},
  {method: 'DELETE', tail: /^\/whitelist\/?$/, body: {addresses: ['10.0.0.1']}},
  {method: 'POST', tail: /^\/run\/?$/, body: {command: 'true'}},
  {method: 'POST', tail: /^\/builds\/?$/, body: {image: 'deis/example-go:latest'}},
  {method: 'POST', tail: /^\/services\/?$/, body: {procfile_type: 'web', path_pattern: '/hooks'}},
  {method: 'DELETE', tail: /^\/services\/?$/, body: {procfile_type: 'web'}},
]

const SAMPLES = ['web', 'cmd', 'v1', '1', 'www.example.com', 'x']

/** Turns a route's pattern back into a concrete path: each `(...)` group becomes a value that matches it. */
function concretePath(route: Route, app: string): string {
  const src = route.pattern.source.replace(/^\^/, '').replace(/\$$/, '')
  let out = ''
  let key = 0
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!
    if (ch === '\\') {
      out += src[++i]
    } else if (ch === '?') {
      // an optional trailing slash: keep it
    } else if (ch === '(') {
      let depth = 1
      let j = i + 1
      let inClass = false
      for (; j < src.length && depth > 0; j++) {
        const c = src[j]!
        if (c === '\\') j++
        else if (inClass) inClass = c !== ']'
        else if (c === '[') inClass = true
        else if (c === '(') depth++
        else if (c === ')') depth--
      }
      const group = src.slice(i + 1, j - 1)
      const name = route.keys[key++]!
      const re = new RegExp(`^(?:${group})$`, 'u')
      out += name === 'app' ? app : name === 'username' ? 'collab' : (SAMPLES.find(s => re.test(s)) ?? 'x')
      i = j - 1
    } else {
      out += ch
    }
  }
  return out
}

describe('app endpoint permissions', () => {
  const ctl = useTestController({users: ['admin', 'owner', 'collab', 'stranger']})
  let seq = 0
  const call = async (method: string, path: string, role: Role | 'owner', body?: unknown) => {
    const user = {unknownApp: 'stranger', collaborator: 'collab'}[role as string] ?? role
    const headers: Record<string, string> = {'content-type': 'application/json'}
    if (role !== 'anonymous') headers.authorization = `token ${ctl.tokens[user]}`
    const res = await fetch(`${ctl.url}${path}`, {method, headers, ...(body === undefined ? {} : {body: JSON.stringify(body)})})
    return {status: res.status, text: await res.text()}
  }

  /** A fresh app owned by `owner` and shared with `collab`, made through the API so every app-created hook runs. */
  const freshApp = async () => {
    const id = `perm-app-${++seq}`
    const made = await call('POST', '/v2/apps/', 'owner', {id})
    const shared = await call('POST', `/v2/apps/${id}/perms/`, 'owner', {username: 'collab'})
    if (made.status !== 201 || shared.status !== 201) throw new Error(`could not set up ${id}: ${made.status} ${shared.status}`)
    return id
  }

  it('answers every app endpoint with the right status for each role', async () => {
    const routes = ctl.router.routes.filter(r => r.keys.includes('app') && r.pattern.source.startsWith('^\\/v2\\/apps\\/'))
    expect(routes.length).toBeGreaterThan(2)
    const cases: Case[] = []
    for (const route of routes) {
      for (const method of Object.keys(route.methods)) {
        const template = concretePath(route, '{app}')
        const tail = template.slice('/v2/apps/{app}'.length)
        const expect = {...DEFAULT[method]!}
        for (const o of OVERRIDES) if (o.method === method && o.tail.test(tail)) Object.assign(expect, o.expect)
        const body = method === 'GET' ? undefined : (BODIES.find(b => b.method === method && b.tail.test(tail))?.body ?? {})
        cases.push({method, path: template, body, expect})
      }
    }
    // transferring an app is owner/admin only, although other app updates are open to collaborators
    cases.push({method: 'POST', path: '/v2/apps/{app}/', body: {owner: 'stranger'}, expect: {...DEFAULT.POST!, collaborator: 403}})

    const mismatches: string[] = []
    for (const c of cases) {
      for (const role of ROLES) {
        const app = role === 'unknownApp' ? 'no-such-app' : await freshApp()
        const path = c.path.replace('{app}', app)
        const got = await call(c.method, path, role, c.body)
        const want = c.expect[role]
        const bad =
          want === 'ok'
            ? got.status === 401 || got.status === 403 || got.status >= 500 || (got.status === 404 && got.text === APP_404)
            : got.status !== want || (want === 404 && got.text !== APP_404)
        if (bad) mismatches.push(`${c.method} ${c.path} ${JSON.stringify(c.body) ?? ''} as ${role}: expected ${want} got ${got.status} ${got.text.slice(0, 120)}`)
      }
    }
    expect(mismatches).toEqual([])
  })
})
