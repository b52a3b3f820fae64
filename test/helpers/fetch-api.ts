import type {TestController} from './controller.js'

/** One request to the test controller as `user` (the first user by default), for seeding and state checks. */
export async function callApi(ctl: TestController, method: string, path: string, body?: unknown, user?: string): Promise<{status: number; body: any}> {
  const name = user ?? Object.keys(ctl.tokens)[0]!
  const res = await fetch(`${ctl.url}${path}`, {
    method,
    headers: {authorization: `token ${ctl.tokens[name]}`, 'content-type': 'application/json'},
    ...(body === undefined ? {} : {body: JSON.stringify(body)}),
  })
  const text = await res.text()
  return {status: res.status, body: text ? JSON.parse(text) : undefined}
}
