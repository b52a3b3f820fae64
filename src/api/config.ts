import type {Client} from './client.js'
import type {Config, ConfigChange} from './types.js'

const path = (app: string) => `/v2/apps/${encodeURIComponent(app)}/config/`

export const config = (c: Client) => ({
  get: (app: string) => c.get<Config>(path(app)),
  /** Merges `change` into the app's config (null unsets) and creates a release; answers the full new config. */
  update: (app: string, change: ConfigChange) => c.post<Config>(path(app), change),
})
