import type {Pod, RunResult} from '../../api/types.js'

export type PodFilter = {type?: string | undefined; name?: string | undefined}

/** Where the local runtime listens, for `local:status` and the profile's `builder` key. */
export type RuntimeAddresses = {builder: string; router: string; router_https: string; platform_domain: string}

/**
 * What the API asks of whatever runs apps: the local runtime (processes, builder, router) or, in the
 * API-only controller, the simulated one (pod records, the mock scheduler's answers). Routes call it
 * the same way in both modes and never ask which one they have.
 */
export interface AppRuntime {
  /**
   * A write through the API changed `app` (created, deployed, configured, scaled, rolled back, its
   * routing, domains or certificates, or deleted): bring what runs and routes for it in line with the
   * store. Only this app is looked at.
   */
  changed: (app: string) => Promise<void>
  /** The app's processes as the pods endpoint lists them, newest first. */
  pods: (app: string, filter?: PodFilter) => Pod[]
  /** Replaces the matching processes; the replacements. */
  restart: (app: string, filter?: PodFilter) => Promise<Pod[]>
  /** Runs a one-off command in the current release as pod `pod` (the caller has checked there is a build). */
  run: (app: string, command: string, pod: string) => Promise<RunResult>
  /** Why `POST /builds/` (image builds, `deis pull`) is refused here, or undefined when images are taken. */
  readonly imageBuildRefusal: string | undefined
  /**
   * Why this controller may serve one user only (app code that cannot be isolated could read every
   * user's token), or undefined when it may serve many.
   */
  readonly singleUserReason: string | undefined
  /** How app code is isolated (sandbox.ts), for the log and `local:start`; absent where no app code runs. */
  readonly sandbox?: {readonly isolated: boolean; readonly mechanism: string; readonly fix: string}
  /** Where the runtime's builder and router listen; undefined when it runs nothing. */
  addresses: () => RuntimeAddresses | undefined
  close: () => Promise<void>
}

/** The answer to `deis pull` when processes run locally: images need a container engine. */
export const IMAGE_BUILDS_UNSUPPORTED =
  'The local controller runs apps from source and cannot run container images (that needs a container engine such as Docker); push your code with "git push deis main" instead.'
