import type {Client} from './client.js'
import type {TLS} from './types.js'

const path = (app: string) => `/v2/apps/${encodeURIComponent(app)}/tls/`

export const tls = (c: Client) => ({
  get: (app: string) => c.get<TLS>(path(app)),
  /** Turns HTTPS enforcement on or off; 409 when it is already so. */
  set: (app: string, enforced: boolean) => c.post<TLS>(path(app), {https_enforced: enforced}),
})
