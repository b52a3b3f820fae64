import type {Client} from './client.js'

const path = (app: string) => `/v2/apps/${encodeURIComponent(app)}/logs`

export const logs = (c: Client) => ({
  /** The newest `lines` lines as the controller's text/plain body (its default 100 when absent); '' on 204. */
  get: async (app: string, lines?: number): Promise<string> => {
    const reply = await c.request('GET', path(app), {query: {log_lines: lines !== undefined && lines > 0 ? lines : undefined}})
    return reply.status === 204 ? '' : reply.text
  },
  /** A WebSocket on the same path, for Drycc's streaming protocol (src/logs/follow.ts speaks it). */
  stream: (app: string) => c.websocket(path(app)),
})
