import {rmSync} from 'node:fs'
import {join} from 'node:path'
import type {Pod} from '../../api/types.js'
import {privateTree} from '../file-modes.js'
import {fingerprint, keyOwnerByFingerprint} from '../keys.js'
import {appendLog, processSource} from '../logs.js'
import {listDomains} from '../domains.js'
import {buildByUuid, currentBuild, currentConfig, currentRelease, deploy, insertBuild, insertRelease} from '../releases.js'
import {latestSettings, latestTls} from '../settings.js'
import type {Store} from '../store.js'
import {startBuilder, type BuilderHandle, type BuildJob} from './builder.js'
import {attachRuntime, type RuntimeHooks} from './registry.js'
import {startRouter, type Route, type RouterHandle} from './router.js'
import {openSandbox, type Sandbox} from './sandbox.js'
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
  /** How app code is isolated; by default the strongest that passes its self-test here (sandbox.ts). */
  sandbox?: Sandbox
}

/** Where the runtime listens, for `local:status` and the profile's `builder` key. */
export type RuntimeAddresses = {builder: string; router: string; router_https: string; platform_domain: string}

type Filter = {type?: string | undefined; name?: string | undefined}

/**
 * The local runtime: the builder (git push over SSH), the scheduler (local processes) and the
 * router (HTTP/HTTPS), driven by the desired state in the store. `sync(app)` is what routes call
 * after changing an app; a periodic pass catches everything else, and start-up brings every app
 * with a build back.
 */
export class Runtime implements RuntimeHooks {
  readonly scheduler: Scheduler
  readonly sandbox: Sandbox
  private router: RouterHandle | undefined
  private builder: BuilderHandle | undefined
  private routes = new Map<string, Route>()
  private wildcards: Array<[string, Route]> = []
  private certs = new Map<string, {cert: string; key: string}>()
  private busy = new Set<string>()
  private changes = -1
  private changeCount: import('better-sqlite3').Statement | undefined
  private timer: NodeJS.Timeout | undefined
  private readonly domain: string

  constructor(
    private readonly store: Store,
    private readonly opts: RuntimeOptions,
  ) {
    this.domain = opts.platformDomain ?? 'localhost'
    this.sandbox = opts.sandbox ?? openSandbox(opts.dataDir)
    this.scheduler = new Scheduler({
      log: (app, source, line) => this.log(app, source, line),
      pidDir: join(opts.dataDir, 'run'),
      sandbox: this.sandbox,
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
    attachRuntime(this.store, this)
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
    attachRuntime(this.store, undefined)
    removeRuntimeStatus(this.opts.dataDir)
    await this.builder?.close()
    await this.router?.close()
    await this.scheduler.close()
  }

  async sync(app: string): Promise<void> {
    this.refreshRoutes()
    const dep = this.store.app(app) ? this.deployment(app) : undefined
    this.busy.add(app)
    try {
      if (dep) await this.scheduler.apply(dep)
      else await this.scheduler.remove(app)
      // a destroyed app leaves nothing behind: its repository and release directories go too
      if (!this.store.app(app)) for (const dir of [join(this.opts.dataDir, 'repos', `${app}.git`), join(this.opts.dataDir, 'slugs', app)]) rmSync(dir, {recursive: true, force: true})
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

  async run(app: string, command: string): Promise<{exit_code: number; output: string}> {
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
      structure: this.store.app(app)?.structure ?? {},
      healthchecks: config.healthcheck,
    }
  }

  private slugDir(app: string, sha: string): string {
    return join(this.opts.dataDir, 'slugs', app, sha)
  }

  /** A pod name as users type it: `web-3374257146-8x2kq` means `<app>-web-3374257146-8x2kq`. */
  private fullName(app: string, name: string | undefined): string | undefined {
    if (!name) return undefined
    return name.split('-').length === 3 ? `${app}-${name}` : name
  }

  private log(app: string, source: string, line: string): void {
    if (!this.store.db.open || !this.store.app(app)) return
    appendLog(this.store, app, processSource(app, source), line)
  }

  private async tick(): Promise<void> {
    if (!this.store.db.open) return
    this.refreshRoutes()
    const apps = this.store.db.prepare('SELECT id FROM apps ORDER BY id').pluck().all() as string[]
    const known = new Set(apps)
    for (const app of apps) if (!this.busy.has(app)) void this.sync(app).catch(() => undefined)
    for (const app of this.scheduler.appNames()) if (!known.has(app)) void this.scheduler.remove(app)
    writeRuntimeStatus(this.opts.dataDir, {api: this.opts.api ?? '', ...this.addresses(), apps: apps.map(app => this.appStatus(app))})
  }

  /** Process counts by type and the settings stored but not applied here. */
  private appStatus(id: string): AppStatus {
    const structure = this.store.app(id)?.structure ?? {}
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
    if (!this.store.db.open) return
    const routes = new Map<string, Route>()
    const wildcards: Array<[string, Route]> = []
    for (const app of this.store.db.prepare('SELECT id FROM apps ORDER BY id').pluck().all() as string[]) {
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
    const rows = this.store.db
      .prepare('SELECT d.domain AS domain, c.certificate AS cert, c.key AS key FROM domains d JOIN certs c ON d.certificate = c.id')
      .all() as Array<{domain: string; cert: string; key: string}>
    for (const row of rows) certs.set(row.domain.toLowerCase(), {cert: row.cert, key: row.key})
    this.routes = routes
    this.wildcards = wildcards
    this.certs = certs
  }

  /** Rebuilds the route table when anything was written since (settings, TLS, domains, certs): exact and cheap. */
  private fresh(): void {
    if (!this.store.db.open) return
    this.changeCount ??= this.store.db.prepare('SELECT total_changes()').pluck()
    const n = this.changeCount.get() as number
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
    const found = this.store.app(app)
    if (!found) return `app "${app}" does not exist: create it with "deis create ${app}"`
    const row = this.store.user(user)
    if (found.owner === user || row?.is_superuser || this.store.isCollaborator(app, user)) return undefined
    return `user "${user}" may not push to "${app}": ask its owner to run "deis perms:create ${user} --app ${app}"`
  }

  /** Builds a push, records the build and its release as `POST …/builds/` does, and rolls it out. */
  private async build(job: BuildJob): Promise<void> {
    const {app, user, sha} = job
    const say = (line: string) => {
      job.say(line)
      this.log(app, 'build', line)
    }
    say(`-----> Building ${app} from ${sha.slice(0, 7)}`)
    const {procfile} = await buildSlug({repo: job.repo, sha, dir: this.slugDir(app, sha), gitEnv: job.gitEnv, sandbox: this.sandbox, say})
    privateTree(this.slugDir(app, sha))
    say('-----> Launching...')
    const release = this.store.tx(() => {
      const current = currentRelease(this.store, app)
      const previous = current.build ? buildByUuid(this.store, current.build) : undefined
      const build = insertBuild(this.store, app, user, {image: `${app}:git-${sha.slice(0, 8)}`, sha, procfile, dockerfile: ''})
      const created = insertRelease(this.store, app, {owner: user, summary: `${user} deployed ${sha.slice(0, 7)}`, config: current.config, build: build.uuid})
      deploy(this.store, this.store.app(app)!, build, previous)
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

/** Starts the local runtime for `store`; routes reach it through `runtimeOf(store)`. */
export async function startRuntime(store: Store, opts: RuntimeOptions): Promise<Runtime> {
  const runtime = new Runtime(store, opts)
  await runtime.start()
  return runtime
}
