import type {Pod} from '../../api/types.js'
import type {Store} from '../store.js'

type Filter = {type?: string | undefined; name?: string | undefined}

/** What routes may ask of the local runtime; present only when the controller runs one (daemon.ts). */
export type RuntimeHooks = {
  /** Brings the app's processes and routes in line with the store (after scale, config, build, rollback). */
  sync: (app: string) => Promise<void>
  /** The app's processes as the pods endpoint lists them (real states: starting, up, crashed). */
  pods: (app: string, filter?: Filter) => Pod[]
  /** Replaces the matching processes one at a time; the pods afterwards. */
  restart: (app: string, filter?: Filter) => Promise<Pod[]>
  /** Runs a one-off command in the current release. */
  run: (app: string, command: string) => Promise<{exit_code: number; output: string}>
  /** Whether app code is isolated from the controller's files and other apps (sandbox.ts). */
  readonly sandbox: {isolated: boolean; mechanism: string; fix: string}
}

const runtimes = new WeakMap<Store, RuntimeHooks>()

/** The runtime serving this store, or undefined (API-only controller, as in most tests). */
export function runtimeOf(store: Store): RuntimeHooks | undefined {
  return runtimes.get(store)
}

export function attachRuntime(store: Store, runtime: RuntimeHooks | undefined): void {
  if (runtime) runtimes.set(store, runtime)
  else runtimes.delete(store)
}

/** The answer to `deis pull` when processes run locally: images need a container engine. */
export const IMAGE_BUILDS_UNSUPPORTED =
  'The local controller runs apps from source and cannot run container images (that needs a container engine such as Docker); push your code with "git push deis main" instead.'
