import type {Client} from './client.js'

/** Endpoints outside `/v2/` that need no token. */
export const health = (c: Client) => ({
  /** The controller's `DEIS_API_VERSION` header from `GET /healthz`, or "" when it sends none. */
  async apiVersion(): Promise<string> {
    const reply = await c.request('GET', '/healthz', {auth: false, accept: '*/*'})
    return reply.headers.deis_api_version ?? ''
  },
})
