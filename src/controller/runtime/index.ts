import {rmSync} from 'node:fs'
import {join} from 'node:path'
import type {Pod, RunResult} from '../../api/types.js'
import {appIds, findApp} from '../model/apps.js'
import {buildByUuid, insertBuild} from '../model/builds.js'
import type {Store} from '../model/db.js'
import {domainCertificates, listDomains} from '../model/domains.js'
import {fingerprint, keyOwnerByFingerprint} from '../model/keys.js'
import {isCollaborator} from '../model/perms.js'
import {currentBuild, currentConfig, currentRelease, deploy, insertRelease} from '../model/releases.js'
import {latestSettings} from '../model/settings.js'
import {latestTls} from '../model/tls.js'
import {findUser} from '../model/users.js'
import {startBuilder, type BuilderHandle, type BuildJob} from './builder.js'
import {IMAGE_BUILDS_UNSUPPORTED, type AppRuntime, type PodFilter, type RuntimeAddresses} from './contract.js'
import {fullPodName} from './pod-names.js'
import {startRouter, type Route, type RouterHandle} from './router.js'
import {Scheduler, type Deployment} from './scheduler.js'
import {buildSlug} from './slug.js'
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
  readyTimeoutMs?: number
}

type Filter = PodFilter

/**
 * The local runtime: the builder (git push over SSH), the scheduler (local processes) and the
 * router (HTTP/HTTPS), driven by the desired state in the store. `changed(app)` is what routes call
 * after changing an app; a periodic pass catches everything else, and start-up brings every app
 * with a build back.
 */
export class Runtime implements AppRuntime {
  readonly imageBuildRefusal = IMAGE_BUILDS_UNSUPPORTED
  readonly scheduler: Scheduler
  private router: RouterHandle | undefined
  private builder: BuilderHandle | undefined
  private routes = new Map<string, Route>()
  private wildcards: Array<[string, Route]> = []
  private certs = new Map<string, {cert: string; key: string}>()
  private busy = new Set<string>()
  private changes = -1
  private timer: NodeJS.Timeout | undefined
  private readonly domain: string

  constructor(
    private readonly store: Store,
    private readonly opts: RuntimeOptions,
  ) {
    this.domain = opts.platformDomain ?? 'localhost'
    this.scheduler = new Scheduler({
      log: (app, source, line) => this.log(app, source, line),
      pidDir: join(opts.dataDir, 'run'),
      ...(opts.graceMs === undefined ? {} : {graceMs: opts.graceMs}),
      ...(opts.readyTimeoutMs === undefined ? {} : {readyTimeoutMs: opts.readyTimeoutMs}),
    })
  }

  /** Starts the router and builder, then brings every app back in the background. */
  async start(): Promise<void> {
    this.scheduler.reapOrphans()
    this.refreshRoutes()
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
        refuse: (user, app) => this.refusal(user, app),
        build: job => this.build(job),
      })
    } catch (error) {
      await this.router.close()
      throw error
    }
    this.timer = setInterval(() => this.tick(), 2000)
    this.timer.unref()
    void this.tick()
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
    clearInterval(this.timer)
    removeRuntimeStatus(this.opts.dataDir)
    await this.builder?.close()
    await this.router?.close()
    await this.scheduler.close()
  }

  changed(app: string): Promise<void> {
    return this.sync(app)
  }

  async sync(app: string): Promise<void> {
    this.refreshRoutes()
    const dep = findApp(this.store, app) ? this.deployment(app) : undefined
    this.busy.add(app)
    try {
      if (dep) await this.scheduler.apply(dep)
      else await this.scheduler.remove(app)
      // a destroyed app leaves nothing behind: its repository and release directories go too
      if (!findApp(this.store, app)) for (const dir of [join(this.opts.dataDir, 'repos', `${app}.git`), join(this.opts.dataDir, 'slugs', app)]) rmSync(dir, {recursive: true, force: true})
    } finally {
      this.busy.delete(app)
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

  async run(app: string, command: string): Promise<RunResult> {
    const dep = this.deployment(app)
    if (!dep) return {exit_code: 1, output: 'this release has no build to run the command in\n'}
    return this.scheduler.run(dep, command)
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
    }
  }

  private slugDir(app: string, sha: string): string {
    return join(this.opts.dataDir, 'slugs', app, sha)
  }

  private fullName(app: string, name: string | undefined): string | undefined {
    return name ? fullPodName(app, name) : undefined
  }

  private log(app: string, source: string, line: string): void {
    if (!this.store.open || !findApp(this.store, app)) return
    this.store.logs.line(app, source, line)
  }

  private async tick(): Promise<void> {
    if (!this.store.open) return
    this.refreshRoutes()
    const apps = appIds(this.store)
    const known = new Set(apps)
    for (const app of apps) if (!this.busy.has(app)) void this.sync(app).catch(() => undefined)
    for (const app of this.scheduler.appNames()) if (!known.has(app)) void this.scheduler.remove(app)
    writeRuntimeStatus(this.opts.dataDir, {api: this.opts.api ?? '', ...this.addresses(), apps: apps.map(app => this.appStatus(app))})
  }

  /** Process counts by type and the settings stored but not applied here. */
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
    if (Object.keys(config.termination_grace_period ?? {}).length > 0) notEnforced.push('termination grace period')
    if (Object.keys(config.lifecycle_post_start ?? {}).length + Object.keys(config.lifecycle_pre_stop ?? {}).length > 0) notEnforced.push('lifecycle hooks')
    return {id, processes, not_enforced: notEnforced}
  }

  private refreshRoutes(): void {
    if (!this.store.open) return
    const routes = new Map<string, Route>()
    const wildcards: Array<[string, Route]> = []
    for (const app of appIds(this.store)) {
      const settings = latestSettings(this.store, app)
      if (!settings.routable) continue
      const route: Route = {app, maintenance: settings.maintenance, whitelist: settings.whitelist, httpsEnforced: latestTls(this.store, app).https_enforced === true}
      routes.set(`${app}.${this.domain}`, route)
      for (const {domain} of listDomains(this.store, app)) {
        if (domain.startsWith('*.')) wildcards.push([domain.slice(1).toLowerCase(), route])
        else routes.set(domain.toLowerCase(), route)
      }
    }
    const certs = new Map<string, {cert: string; key: string}>()
    for (const row of domainCertificates(this.store)) certs.set(row.domain.toLowerCase(), {cert: row.cert, key: row.key})
    this.routes = routes
    this.wildcards = wildcards
    this.certs = certs
  }

  /** Rebuilds the route table when anything was written since (settings, TLS, domains, certs): exact and cheap. */
  private fresh(): void {
    if (!this.store.open) return
    const n = this.store.totalChanges()
    if (n === this.changes) return
    this.changes = n
    this.refreshRoutes()
  }

  private resolve(name: string): Route | undefined {
    this.fresh()
    return this.routes.get(name) ?? this.wildcards.find(([suffix]) => name.endsWith(suffix) && !name.slice(0, -suffix.length).includes('.'))?.[1]
  }

  private certificate(name: string): {cert: string; key: string} | undefined {
    this.fresh()
    return this.certs.get(name) ?? this.wildcardCert(name)
  }

  private wildcardCert(name: string): {cert: string; key: string} | undefined {
    const dot = name.indexOf('.')
    return dot > 0 ? this.certs.get(`*${name.slice(dot)}`) : undefined
  }

  private refusal(user: string, app: string): string | undefined {
    const found = findApp(this.store, app)
    if (!found) return `app "${app}" does not exist: create it with "deis create ${app}"`
    const row = findUser(this.store, user)
    if (found.owner === user || row?.is_superuser || isCollaborator(this.store, app, user)) return undefined
    return `user "${user}" may not push to "${app}": ask its owner to run "deis perms:create ${user} --app ${app}"`
  }

  /** Builds a push, records the build and its release as `POST …/builds/` does, and rolls it out. */
  private async build(job: BuildJob): Promise<void> {
    const {app, user, sha} = job
    const say = (line: string) => {
      job.say(line)
      this.log(app, `${app}[build]`, line)
    }
    say(`-----> Building ${app} from ${sha.slice(0, 7)}`)
    const {procfile} = await buildSlug({repo: job.repo, sha, dir: this.slugDir(app, sha), gitEnv: job.gitEnv, say})
    say('-----> Launching...')
    const release = this.store.tx(() => {
      const current = currentRelease(this.store, app)
      const previous = current.build ? buildByUuid(this.store, current.build) : undefined
      const build = insertBuild(this.store, app, user, {image: `${app}:git-${sha.slice(0, 8)}`, sha, procfile, dockerfile: ''})
      const created = insertRelease(this.store, app, {owner: user, summary: `${user} deployed ${sha.slice(0, 7)}`, config: current.config, build: build.uuid})
      deploy(this.store, findApp(this.store, app)!, build, previous)
      return created
    })
    await this.sync(app)
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
