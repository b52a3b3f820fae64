import {rmSync} from 'node:fs'
import {join} from 'node:path'
import type {Pod, RunResult} from '../../api/types.js'
import {privateTree} from '../file-modes.js'
import {detail, HttpError} from '../http/reply.js'
import {findApp} from '../model/apps.js'
import {appsWithSourceBuilds, buildByUuid, insertBuild} from '../model/builds.js'
import {certForDomain} from '../model/certs.js'
import type {Store} from '../model/db.js'
import {domainRow} from '../model/domains.js'
import {fingerprint, keyOwnerByFingerprint} from '../model/keys.js'
import {isCollaborator} from '../model/perms.js'
import {currentBuild, currentConfig, currentRelease, deploy, failRelease, findRelease, insertRelease} from '../model/releases.js'
import {latestSettings} from '../model/settings.js'
import {latestTls} from '../model/tls.js'
import {findUser} from '../model/users.js'
import {startBuilder, type BuilderHandle, type BuildJob} from './builder.js'
import {IMAGE_BUILDS_UNSUPPORTED, type AppRuntime, type PodFilter, type RuntimeAddresses} from './contract.js'
import {fullPodName} from './pod-names.js'
import {startRouter, type Route, type RouterHandle} from './router.js'
import {openSandbox, type Sandbox} from './sandbox.js'
import {RolloutError, Scheduler, type Deployment} from './scheduler.js'
import {runReleasePhase} from './buildpacks/release-phase.js'
import {buildSlug, releaseCommand} from './slug.js'
import {removeRuntimeStatus, writeRuntimeStatus, type AppStatus} from './status.js'

export type RuntimeOptions = {
  /** The API's URL, published with the runtime's addresses for `local:status`. */
  api?: string
  /** Repositories, release directories, the host key and pid files go here. */
  dataDir: string
  host?: string
  /** SSH builder port (default 2222; 0 picks one). */
  builderPort?: number
  /** Router ports (defaults 8080 and 8443; 0 picks one). */
  httpPort?: number
  httpsPort?: number
  /** Apps answer at `<app>.<platformDomain>` (default `localhost`, which resolves to 127.0.0.1 without DNS). */
  platformDomain?: string
  graceMs?: number
  /** How long a rollout waits for the new processes to become ready (default 120 s, Workflow's deploy timeout). */
  readyTimeoutMs?: number
  /** How app code is isolated; by default the strongest that passes its self-test here (sandbox.ts). */
  sandbox?: Sandbox
  /** Directories users may name local buildpacks from (BUILDPACK_URL or .buildpacks); admins may name any. */
  buildpackDirs?: string[]
}

type Filter = PodFilter

/** A release phase that failed: its release is kept as failed, like a rollout that failed. */
class ReleasePhaseError extends Error {}

/** How long after a process changes state the status file is rewritten (changes in between are written together). */
const STATUS_DELAY_MS = 200
/** Host names remembered as unknown at most (then forgotten together). */
const MAX_UNKNOWN = 10_000
/** Apps brought back per turn of the event loop at start-up, so the API answers meanwhile. */
const START_BATCH = 20

/**
 * The local runtime: the builder (git push over SSH), the scheduler (local processes) and the
 * router (HTTP/HTTPS), driven by the desired state in the store. `changed(app)` is what routes call
 * after a write: only that app's routes and processes are looked at. Nothing runs on a timer over
 * every app; start-up brings back the apps that have a build, a few at a time.
 */
export class Runtime implements AppRuntime {
  readonly imageBuildRefusal = IMAGE_BUILDS_UNSUPPORTED
  readonly scheduler: Scheduler
  readonly sandbox: Sandbox
  readonly singleUserReason: string | undefined
  private router: RouterHandle | undefined
  private builder: BuilderHandle | undefined
  /** Host name -> route, filled on first request for a name and dropped when its app changes. */
  private routes = new Map<string, Route>()
  /** Host names that matched no app, until any app changes (one may be created or get the domain). */
  private unknown = new Set<string>()
  /** App -> the host names cached for it, so a change drops only those. */
  private namesOf = new Map<string, Set<string>>()
  /** The deployment last handed to the scheduler per app: an unchanged one is not applied again. */
  private applied = new Map<string, string>()
  private statusTimer: NodeJS.Timeout | undefined
  private readonly domain: string
  /** App -> where a running push wants its release phase's output. */
  private releaseListeners = new Map<string, (line: string) => void>()

  constructor(
    private readonly store: Store,
    private readonly opts: RuntimeOptions,
  ) {
    this.domain = opts.platformDomain ?? 'localhost'
    this.sandbox = opts.sandbox ?? openSandbox(opts.dataDir)
    this.singleUserReason = this.sandbox.isolated
      ? undefined
      : `this local controller cannot isolate apps from each other and from its own files (sandbox: ${this.sandbox.mechanism}), so it serves one user only; ${this.sandbox.fix}, then restart it with "deis local:stop" and "deis local:start"`
    this.scheduler = new Scheduler({
      log: (app, source, line) => this.log(app, source, line),
      changed: () => this.statusSoon(),
      pidDir: join(opts.dataDir, 'run'),
      sandbox: this.sandbox,
      ...(opts.graceMs === undefined ? {} : {graceMs: opts.graceMs}),
      ...(opts.readyTimeoutMs === undefined ? {} : {readyTimeoutMs: opts.readyTimeoutMs}),
    })
  }

  /** Starts the router and builder, then brings every app with a build back in the background. */
  async start(): Promise<void> {
    this.scheduler.findOrphans()
    const host = this.opts.host ?? '127.0.0.1'
    this.router = await startRouter({
      host,
      httpPort: this.opts.httpPort ?? 8080,
      httpsPort: this.opts.httpsPort ?? 8443,
      resolve: name => this.resolve(name),
      backends: app => this.scheduler.backends(app),
      certificate: name => this.certificate(name),
    })
    try {
      this.builder = await startBuilder({
        host,
        port: this.opts.builderPort ?? 2222,
        dataDir: this.opts.dataDir,
        keyOwner: (_algo, blob) => keyOwnerByFingerprint(this.store, fingerprint(blob)),
        refuse: (user, app, access) => this.refusal(user, app, access),
        build: job => this.build(job),
      })
    } catch (error) {
      await this.router.close()
      throw error
    }
    this.writeStatus()
    void this.bringBack()
  }

  addresses(): RuntimeAddresses {
    const host = this.opts.host ?? '127.0.0.1'
    return {
      builder: `ssh://${host}:${this.builder?.port ?? 0}`,
      router: `http://${host}:${this.router?.httpPort ?? 0}`,
      router_https: `https://${host}:${this.router?.httpsPort ?? 0}`,
      platform_domain: this.domain,
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.statusTimer)
    this.statusTimer = undefined
    removeRuntimeStatus(this.opts.dataDir)
    await this.builder?.close()
    await this.router?.close()
    await this.scheduler.close()
  }

  /**
   * A write changed `app`: its routes are looked up afresh, and its processes brought in line with
   * its current release. When a new release's processes do not become ready, the release is marked
   * failed (as the controller keeps it), the old processes keep serving, and this throws the 400.
   */
  changed(app: string): Promise<void> {
    return this.bringInLine(app, true)
  }

  /**
   * What `changed` does; `releasePhase` is false when start-up brings an app back, since its current
   * release already went through its release phase when it was made.
   */
  private async bringInLine(app: string, releasePhase: boolean): Promise<void> {
    this.forgetRoutes(app)
    if (!this.store.open) return
    // what local:status shows of the app (settings it cannot apply, counts) may have changed too
    this.statusSoon()
    const exists = findApp(this.store, app) !== undefined
    const dep = exists ? this.deployment(app) : undefined
    if (!dep) {
      this.applied.delete(app)
      if (this.scheduler.appNames().includes(app)) await this.scheduler.remove(app)
      // a destroyed app leaves nothing behind: its repository and release directories go too
      if (!exists)
        for (const dir of [join(this.opts.dataDir, 'repos', `${app}.git`), join(this.opts.dataDir, 'slugs', app), join(this.opts.dataDir, 'cache', app)])
          rmSync(dir, {recursive: true, force: true})
      return
    }
    const key = JSON.stringify(dep)
    if (this.applied.get(app) === key) return
    const previous = this.applied.get(app)
    this.applied.set(app, key)
    try {
      // a new release (a push, a config change, a rollback) runs its release phase before any of its processes start
      const command = releasePhase && (!previous || (JSON.parse(previous) as Deployment).version !== dep.version) ? releaseCommand(dep.dir) : undefined
      if (command) await this.releasePhase(dep, command)
      await this.scheduler.apply(dep)
    } catch (error) {
      this.applied.delete(app)
      if (!(error instanceof RolloutError || error instanceof ReleasePhaseError)) throw error
      this.failRelease(app, dep.version, error.message)
      throw detail(400, `${error.message}; v${currentRelease(this.store, app).version} keeps serving, see "deis logs -a ${app}" and fix the release before deploying again`)
    } finally {
      this.statusSoon()
    }
  }

  pods(app: string, filter: Filter = {}): Pod[] {
    const name = this.fullName(app, filter.name)
    return this.scheduler.pods(app, filter.type).filter(p => !name || p.name === name)
  }

  async restart(app: string, filter: Filter = {}): Promise<Pod[]> {
    const name = this.fullName(app, filter.name)
    const pods = await this.scheduler.restart(app, {...(filter.type ? {type: filter.type} : {}), ...(name ? {name} : {})})
    return name ? pods.filter(p => p.type === filter.type) : pods
  }

  async run(app: string, command: string, pod: string): Promise<RunResult> {
    const dep = this.deployment(app)
    if (!dep) return {exit_code: 1, output: 'this release has no build to run the command in\n'}
    return this.scheduler.run(dep, command, pod)
  }

  /** The release the app should run, or undefined before its first push (or for image builds). */
  deployment(app: string): Deployment | undefined {
    const build = currentBuild(this.store, app)
    if (!build?.sha) return undefined
    const config = currentConfig(this.store, app)
    return {
      app,
      version: currentRelease(this.store, app).version,
      dir: this.slugDir(app, build.sha),
      env: {...config.values, SOURCE_VERSION: build.sha},
      procfile: build.procfile,
      structure: findApp(this.store, app)?.structure ?? {},
      healthchecks: config.healthcheck,
      graceSeconds: config.termination_grace_period ?? {},
    }
  }

  /** Runs `dep`'s release phase, its output going to the app's log and to whoever waits on it (the pusher). */
  private async releasePhase(dep: Deployment, command: string): Promise<void> {
    const say = (line: string) => {
      this.releaseListeners.get(dep.app)?.(line)
      this.log(dep.app, `${dep.app}[release]`, line)
    }
    say(`-----> Running the release phase: ${command}`)
    const failure = await runReleasePhase(dep, command, line => say(`       ${line}`), this.sandbox)
    if (failure) throw new ReleasePhaseError(failure)
  }

  /** Records the failed rollout of v`version` the way the controller words it (controller-api §4.8-§4.10). */
  private failRelease(app: string, version: number, reason: string): void {
    const failed = findRelease(this.store, app, version)
    if (!failed) return
    const good = currentRelease(this.store, app)
    const user = failed.owner
    let summary = `${user} deployed a config that failed`
    if (/ rolled back to v\d+$/.test(failed.summary)) summary = `${user} performed roll back to a release that failed`
    else if (failed.build && failed.build !== good.build) summary = `${user} deployed ${failed.build.slice(0, 7)} which failed`
    failRelease(this.store, app, version, summary, reason)
  }

  private slugDir(app: string, sha: string): string {
    return join(this.opts.dataDir, 'slugs', app, sha)
  }

  private fullName(app: string, name: string | undefined): string | undefined {
    return name ? fullPodName(app, name) : undefined
  }

  private log(app: string, source: string, line: string): void {
    if (!this.store.open || !findApp(this.store, app)) return
    if (source === 'deploy') this.store.logs.event(app, line)
    else this.store.logs.line(app, source, line)
  }

  /** Brings back, a few per turn of the event loop, every app with a build; then stops leftovers nobody adopted. */
  private async bringBack(): Promise<void> {
    const apps = new Set([...appsWithSourceBuilds(this.store), ...this.scheduler.orphanApps()])
    const pending: Array<Promise<void>> = []
    let n = 0
    for (const app of apps) {
      if (!this.store.open) return
      pending.push(this.bringInLine(app, false).catch(() => undefined))
      if (++n % START_BATCH === 0) await new Promise(resolve => setImmediate(resolve))
    }
    await Promise.all(pending)
    await this.scheduler.stopOrphans()
  }

  private statusSoon(): void {
    if (this.statusTimer || !this.store.open) return
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined
      if (this.store.open) this.writeStatus()
    }, STATUS_DELAY_MS)
    this.statusTimer.unref()
  }

  /** `local:status`'s view: the apps that run processes (the others have nothing to show). */
  private writeStatus(): void {
    const apps = this.scheduler.appNames().filter(app => findApp(this.store, app))
    writeRuntimeStatus(this.opts.dataDir, {api: this.opts.api ?? '', ...this.addresses(), apps: apps.map(app => this.appStatus(app))})
  }

  /** Process counts by type, where each process listens, and the settings stored but not applied here. */
  private appStatus(id: string): AppStatus {
    const structure = findApp(this.store, id)?.structure ?? {}
    const processes: AppStatus['processes'] = {}
    for (const [type, desired] of Object.entries(structure)) processes[type] = {desired, up: 0, starting: 0, crashed: 0}
    for (const pod of this.scheduler.pods(id)) {
      const counts = (processes[pod.type] ??= {desired: 0, up: 0, starting: 0, crashed: 0})
      if (pod.state === 'up' || pod.state === 'starting' || pod.state === 'crashed') counts[pod.state]++
    }
    const config = currentConfig(this.store, id)
    const notEnforced: string[] = []
    if (Object.keys(latestSettings(this.store, id).autoscale).length > 0) notEnforced.push('autoscale')
    if (Object.keys(config.cpu).length > 0) notEnforced.push('cpu limits')
    if (Object.keys(config.memory).length > 0) notEnforced.push('memory limits')
    if (Object.keys(config.registry).length > 0) notEnforced.push('registry')
    if (Object.keys(config.tags).length > 0) notEnforced.push('tags')
    if (Object.keys(config.lifecycle_post_start ?? {}).length + Object.keys(config.lifecycle_pre_stop ?? {}).length > 0) notEnforced.push('lifecycle hooks')
    return {id, processes, not_enforced: notEnforced, listening: this.scheduler.ports(id)}
  }

  private forgetRoutes(app: string): void {
    for (const name of this.namesOf.get(app) ?? []) this.routes.delete(name)
    this.namesOf.delete(app)
    // a name that matched nothing may belong to this app now (created, or a domain added)
    if (this.unknown.size > 0) this.unknown = new Set()
  }

  /** The route for a host name: `<app>.<platform domain>`, a domain of the app, or a wildcard domain. */
  private resolve(name: string): Route | undefined {
    const cached = this.routes.get(name)
    if (cached || this.unknown.has(name) || !this.store.open) return cached
    const app = this.appFor(name)
    const route = app ? this.route(app) : undefined
    if (!route) {
      // bounded: a client sending endless random names cannot grow it without limit
      if (this.unknown.size >= MAX_UNKNOWN) this.unknown = new Set()
      this.unknown.add(name)
      return undefined
    }
    this.routes.set(name, route)
    const names = this.namesOf.get(route.app) ?? new Set()
    names.add(name)
    this.namesOf.set(route.app, names)
    return route
  }

  private appFor(name: string): string | undefined {
    const exact = domainRow(this.store, name)
    if (exact) return exact.app
    const suffix = `.${this.domain}`
    if (name.endsWith(suffix)) {
      const id = name.slice(0, -suffix.length)
      if (!id.includes('.') && findApp(this.store, id)) return id
    }
    const dot = name.indexOf('.')
    return dot > 0 ? domainRow(this.store, `*${name.slice(dot)}`)?.app : undefined
  }

  private route(app: string): Route | undefined {
    const settings = latestSettings(this.store, app)
    if (!settings.routable) return undefined
    return {app, maintenance: settings.maintenance, whitelist: settings.whitelist, httpsEnforced: latestTls(this.store, app).https_enforced === true}
  }

  /** Looked up per TLS handshake (certificates change rarely and a handshake costs far more than the query). */
  private certificate(name: string): {cert: string; key: string} | undefined {
    if (!this.store.open) return undefined
    const dot = name.indexOf('.')
    return certForDomain(this.store, name) ?? (dot > 0 ? certForDomain(this.store, `*${name.slice(dot)}`) : undefined)
  }

  private refusal(user: string, app: string, access: 'read' | 'write'): string | undefined {
    const found = findApp(this.store, app)
    if (!found) return `app "${app}" does not exist: create it with "deis create ${app}"`
    const row = findUser(this.store, user)
    if (found.owner === user || row?.is_superuser || isCollaborator(this.store, app, user)) return undefined
    return `user "${user}" may not ${access === 'read' ? 'clone' : 'push to'} "${app}": ask its owner to run "deis perms:create ${user} --app ${app}"`
  }

  /**
   * Builds a push with its buildpacks, records the build and its release as `POST …/builds/` does, and rolls it
   * out (its release phase first). A failed build records nothing; a failed release phase or rollout keeps the
   * release as failed; either way the push is rejected and the current release keeps serving.
   */
  private async build(job: BuildJob): Promise<void> {
    const {app, user, sha} = job
    const say = (line: string) => {
      job.say(line)
      this.log(app, `${app}[build]`, line)
    }
    say(`-----> Building ${app} from ${sha.slice(0, 7)}`)
    const config = currentConfig(this.store, app)
    const dir = this.slugDir(app, sha)
    let procfile: Record<string, string>
    try {
      ;({procfile} = await buildSlug({
        repo: job.repo,
        sha,
        dir,
        gitEnv: job.gitEnv,
        say,
        config: config.values,
        configByAdmin: Boolean(findUser(this.store, config.owner)?.is_superuser),
        cacheDir: join(this.opts.dataDir, 'cache', app),
        buildpackCacheDir: join(this.opts.dataDir, 'buildpacks'),
        buildpackDirs: this.opts.buildpackDirs ?? [],
        sandbox: this.sandbox,
      }))
    } catch (error) {
      if (currentBuild(this.store, app)?.sha !== sha) rmSync(dir, {recursive: true, force: true})
      throw error
    }
    privateTree(dir)
    say('-----> Launching...')
    const release = this.store.tx(() => {
      const current = currentRelease(this.store, app)
      const previous = current.build ? buildByUuid(this.store, current.build) : undefined
      const build = insertBuild(this.store, app, user, {image: `${app}:git-${sha.slice(0, 8)}`, sha, procfile, dockerfile: ''})
      const created = insertRelease(this.store, app, {owner: user, summary: `${user} deployed ${sha.slice(0, 7)}`, config: current.config, build: build.uuid})
      deploy(this.store, findApp(this.store, app)!, build, previous)
      return created
    })
    this.releaseListeners.set(app, job.say)
    try {
      await this.changed(app)
    } catch (error) {
      // the release is kept as failed; the pusher sees why in one line
      throw new Error(`v${release.version} was not deployed: ${error instanceof HttpError ? (error.body as {detail: string}).detail : (error as Error).message}`)
    } finally {
      this.releaseListeners.delete(app)
    }
    say(`       Done, ${app}:v${release.version} deployed to Deis`)
    say('')
    say(`       Use 'deis open' to view this application in your browser (http://${app}.${this.domain}:${this.router?.httpPort ?? 8080})`)
    say('')
    say("       To learn more, use 'deis help' or visit https://deis.com/")
    say('')
  }
}

/** Starts the local runtime for `store`; createController hands it to the routes. */
export async function startRuntime(store: Store, opts: RuntimeOptions): Promise<Runtime> {
  const runtime = new Runtime(store, opts)
  await runtime.start()
  return runtime
}
