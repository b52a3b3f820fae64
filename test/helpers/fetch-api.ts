import {expect} from 'vitest'
import type {TestController} from './controller.js'

export type ApiAnswer = {status: number; body: any}

/** One request to the test controller as `user` (the first user by default); also hands back the response headers. */
export async function fetchApi(ctl: TestController, method: string, path: string, body?: unknown, user?: string): Promise<ApiAnswer & {headers: Headers}> {
  const name = user ?? Object.keys(ctl.tokens)[0]!
  const res = await fetch(`${ctl.url}${path}`, {
    method,
    headers: {authorization: `token ${ctl.tokens[name]}`, 'content-type': 'application/json'},
    ...(body === undefined ? {} : {body: JSON.stringify(body)}),
  })
  const text = await res.text()
  return {status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers}
}

/** One request to the test controller as `user` (the first user by default), for seeding and state checks. */
export async function callApi(ctl: TestController, method: string, path: string, body?: unknown, user?: string): Promise<ApiAnswer> {
  const {status, body: answer} = await fetchApi(ctl, method, path, body, user)
  return {status, body: answer}
}

/**
 * `callApi` bound to the controller a describe block starts in `beforeAll` (read through `ctl` when
 * called, so it can be declared before the controller exists).
 */
export function apiCaller(ctl: () => TestController): (method: string, path: string, body?: unknown, user?: string) => Promise<ApiAnswer> {
  return (method, path, body, user) => callApi(ctl(), method, path, body, user)
}

/** Seeds the test controller through the API, failing the test unless the controller accepts the request (2xx). */
export async function seedApi(ctl: TestController, method: string, path: string, body?: unknown, user?: string): Promise<void> {
  const r = await callApi(ctl, method, path, body, user)
  expect(r.status).toBeLessThan(300)
}
