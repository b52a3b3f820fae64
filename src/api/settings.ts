import type {Client} from './client.js'
import type {AppSettings, AppSettingsChange, Whitelist} from './types.js'

const base = (app: string) => `/v2/apps/${encodeURIComponent(app)}`

/** App settings (maintenance, routing, autoscale, labels) and the whitelist view over them. */
export const settings = (c: Client) => ({
  get: (app: string) => c.get<AppSettings>(`${base(app)}/settings/`),
  /** Sends only what changes; the controller answers 409 when nothing does. */
  set: (app: string, change: AppSettingsChange) => c.post<AppSettings>(`${base(app)}/settings/`, change),
  whitelist: (app: string) => c.get<Whitelist>(`${base(app)}/whitelist/`),
  whitelistAdd: (app: string, addresses: string[]) => c.post<Whitelist>(`${base(app)}/whitelist/`, {addresses}),
  /** DELETE with a JSON body, as the controller expects. */
  whitelistRemove: (app: string, addresses: string[]) => c.delete<void>(`${base(app)}/whitelist/`, {addresses}),
})
