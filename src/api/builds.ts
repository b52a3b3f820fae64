import type {Client} from './client.js'
import type {Build, ListOptions, Page} from './types.js'

const path = (app: string) => `/v2/apps/${encodeURIComponent(app)}/builds/`

export const builds = (c: Client) => ({
  list: (app: string, opts: ListOptions) => c.list<Build>(path(app), opts) as Promise<Page<Build>>,
  /** Creates a build from an image and deploys it; `procfile` is left out when empty. */
  create: (app: string, image: string, procfile?: Record<string, string>) =>
    c.post<Build>(path(app), procfile && Object.keys(procfile).length > 0 ? {image, procfile} : {image}),
})
