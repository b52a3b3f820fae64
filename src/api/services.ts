import type {Client} from './client.js'
import type {Service} from './types.js'

const path = (app: string) => `/v2/apps/${encodeURIComponent(app)}/services/`

/** Hephy's services (path-based routes to extra process types); one per type, so adding again replaces it. */
export const services = (c: Client) => ({
  list: async (app: string) => (await c.get<{services: Service[]}>(path(app))).services,
  /** 201 when added or changed, 204 when it was already so; neither has a body. */
  add: (app: string, service: Service) => c.post<void>(path(app), service),
  remove: (app: string, procfileType: string) => c.delete<void>(path(app), {procfile_type: procfileType}),
})
