import type {Client} from './client.js'
import type {Pod, PodList, RunResult} from './types.js'

const base = (app: string) => `/v2/apps/${encodeURIComponent(app)}`
/** Scale, restart and run are synchronous on the controller (up to 20 minutes for run). */
const SLOW = {timeoutMs: 1_200_000}

export const ps = (c: Client) => ({
  /** Every pod of the app; the controller ignores paging here (the Go client sends limit=1000). */
  list: (app: string) => c.get<PodList>(`${base(app)}/pods/`),
  /** Sets process counts; the controller answers 204 with no body, so callers re-list to show state. */
  scale: (app: string, counts: Record<string, number>) => c.post<void>(`${base(app)}/scale/`, counts, SLOW),
  /** Restarts all pods, one type's, or one pod (`type` and `name` both given); returns the new pods. */
  restart: (app: string, type?: string, name?: string) => {
    const which = [type, name].filter((s): s is string => Boolean(s)).map(encodeURIComponent)
    return c.post<Pod[]>(`${base(app)}/pods/${which.map(s => `${s}/`).join('')}restart/`, undefined, SLOW)
  },
  /** Runs a one-off command and waits for its exit code and output. */
  run: (app: string, command: string) => c.post<RunResult>(`${base(app)}/run`, {command}, SLOW),
})
