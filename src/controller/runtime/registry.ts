import type {Store} from '../store.js'

/** What routes may ask of the local runtime; present only when the controller runs one (daemon.ts). */
export type RuntimeHooks = {
  /** Brings the app's processes and routes in line with the store (after scale, config, build, rollback). */
  sync: (app: string) => Promise<void>
  pods: (app: string, filter?: {type?: string | undefined; name?: string | undefined}) => import('../../api/types.js').Pod[]
  restart: (app: string, filter?: {type?: string | undefined; name?: string | undefined}) => Promise<import('../../api/types.js').Pod[]>
  run: (app: string, command: string) => Promise<{exit_code: number; output: string}>
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
