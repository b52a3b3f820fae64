import type {Api} from './api/index.js'
import type {AppSettingsChange, Build, Config, ConfigChange} from './api/types.js'
import type {Profile} from './config/settings.js'
import {ApiError, DeisError} from './errors.js'
import {hasCommit, pushCommit, withFetched} from './git/code.js'
import {remoteUrl} from './git/remote.js'

export type CopySide = {name: string; profile: Profile; api: Api}

export type CopyOptions = {
  app: string
  as: string
  from: CopySide
  to: CopySide
  domains: boolean
  /** Overwrite an app of that name on the target (its settings are made the source's, its code replaced). */
  force: boolean
  /** The repository the command runs in, searched for the release's commit first. */
  cwd: string
  progress: (line: string) => void
}

/** One thing that was not copied, why, and the command that does it by hand. */
export type NotCopied = {what: string; why: string; fix: string}

export type CopyReport = {
  app: string
  to: {profile: string; controller: string; app: string}
  created: boolean
  /** What is now on the target, one `<what>: <detail>` entry each, in the order it was done. */
  copied: string[]
  not_copied: NotCopied[]
  /** Where the deployed commit came from (`target`: the copy already ran it, nothing was pushed), or the image; null without a build. */
  code: {sha: string; from: 'repository' | 'source builder' | 'target'} | {image: string} | null
}

/** The config maps copied as they are; `values` first, so a build's release phase already sees them. */
const MAPS = ['values', 'memory', 'cpu', 'tags', 'registry', 'lifecycle_post_start', 'lifecycle_pre_stop', 'termination_grace_period'] as const
const LABEL: Record<(typeof MAPS)[number], string> = {
  values: 'config',
  memory: 'limits (memory)',
  cpu: 'limits (cpu)',
  tags: 'tags',
  registry: 'registry',
  lifecycle_post_start: 'lifecycle (post-start)',
  lifecycle_pre_stop: 'lifecycle (pre-stop)',
  termination_grace_period: 'timeouts',
}

const isMissing = (error: unknown) => error instanceof ApiError && error.status === 404

/** `want`, plus a null for each key only `have` holds (so the target ends up with exactly `want`). */
function replacing<T>(want: Record<string, T>, have: Record<string, unknown> | undefined): Record<string, T | null> {
  const out: Record<string, T | null> = {...want}
  for (const k of Object.keys(have ?? {})) if (!(k in want)) out[k] = null
  return out
}

const keysOf = (m: Record<string, unknown>) => Object.keys(m).sort().join(', ')

/**
 * apps:copy: recreates `app` of one controller on another (config, limits, healthchecks, tags, autoscale,
 * labels, with `domains` its domains), then deploys the same code there: the current release's commit
 * pushed to the target's builder (from the local repository when it has it, else fetched from the source
 * builder), or the same image. Certificates stay behind: their private keys never leave a controller.
 * A failure names exactly what exists on the target by then.
 */
export async function copyApp(o: CopyOptions): Promise<CopyReport> {
  const {from, to} = o
  const source = await from.api.apps.get(o.app)
  const config = await from.api.config.get(o.app)
  const settings = await from.api.settings.get(o.app)
  const domains = (await from.api.domains.list(o.app, {all: true})).results.map(d => d.domain).filter(d => d !== o.app)
  const build = await currentBuild(from.api, o.app)
  const certs = (await from.api.certs.list({all: true})).results.filter(c => c.domains.some(d => domains.includes(d)))

  let existing: Config | undefined
  try {
    await to.api.apps.get(o.as)
    if (!o.force) {
      throw new DeisError(`app ${o.as} already exists on ${to.name} (${to.profile.controller}); nothing was changed there`, {
        hint: `pass --force to overwrite its settings and code, or --as <new-name> to copy under another name`,
      })
    }
    existing = await to.api.config.get(o.as)
  } catch (error) {
    if (!isMissing(error)) throw error
  }

  const report: CopyReport = {app: o.app, to: {profile: to.name, controller: to.profile.controller, app: o.as}, created: false, copied: [], not_copied: [], code: null}
  const target = `-a ${o.as} -c ${to.name}`
  let step = ''
  try {
    step = `creating app ${o.as}`
    if (!existing) {
      o.progress(`Creating ${o.as} on ${to.name}`)
      await to.api.apps.create(o.as)
      report.created = true
      report.copied.push(`app: ${o.as} created`)
    }

    step = 'copying the config'
    const change: ConfigChange = {}
    for (const k of MAPS) {
      const m = config[k] ?? {}
      const send = existing ? replacing(m, existing[k]) : m
      if (Object.keys(send).length > 0) change[k] = send
    }
    const checks = existing ? replacing(config.healthcheck ?? {}, existing.healthcheck) : (config.healthcheck ?? {})
    if (Object.keys(checks).length > 0) change.healthcheck = checks
    if (Object.keys(change).length > 0) {
      o.progress(`Copying config, limits, healthchecks and tags`)
      await to.api.config.update(o.as, change)
      for (const k of MAPS) if (Object.keys(config[k] ?? {}).length > 0) report.copied.push(`${LABEL[k]}: ${keysOf(config[k])}`)
      if (Object.keys(config.healthcheck ?? {}).length > 0) report.copied.push(`healthchecks: ${keysOf(config.healthcheck)}`)
    }

    step = 'copying autoscale and labels'
    const targetSettings = existing ? await to.api.settings.get(o.as) : undefined
    const settingsChange: AppSettingsChange = {}
    const autoscale = replacing(settings.autoscale ?? {}, targetSettings?.autoscale)
    const label = replacing(settings.label ?? {}, targetSettings?.label)
    if (Object.keys(autoscale).length > 0) settingsChange.autoscale = autoscale
    if (Object.keys(label).length > 0) settingsChange.label = label
    if (Object.keys(settingsChange).length > 0) {
      try {
        await to.api.settings.set(o.as, settingsChange)
      } catch (error) {
        // 409: the target already had exactly these
        if (!(error instanceof ApiError && error.status === 409)) throw error
      }
      if (Object.keys(settings.autoscale ?? {}).length > 0) report.copied.push(`autoscale: ${keysOf(settings.autoscale)}`)
      if (Object.keys(settings.label ?? {}).length > 0) report.copied.push(`labels: ${keysOf(settings.label)}`)
    }
    if ((settings.whitelist ?? []).length > 0) {
      report.not_copied.push({
        what: `whitelist (${settings.whitelist.join(', ')})`,
        why: 'addresses differ from one network to another',
        fix: `deis whitelist:add <addresses> ${target}`,
      })
    }

    if (o.domains) {
      const have = existing ? new Set((await to.api.domains.list(o.as, {all: true})).results.map(d => d.domain)) : new Set<string>()
      const added: string[] = []
      for (const d of domains) {
        step = `adding domain ${d}`
        if (!have.has(d)) await to.api.domains.add(o.as, d)
        added.push(d)
      }
      if (added.length > 0) report.copied.push(`domains: ${added.join(', ')}`)
    } else if (domains.length > 0) {
      report.not_copied.push({what: `domains (${domains.join(', ')})`, why: 'not asked for', fix: `rerun with --domains, or deis domains:add <domain> ${target}`})
    }
    for (const c of certs) {
      const on = c.domains.filter(d => domains.includes(d))
      report.not_copied.push({
        what: `certificate ${c.name} (${on.join(', ')})`,
        why: 'its private key never leaves a controller',
        fix: `deis certs:add ${c.name} <cert.pem> <key.pem> -c ${to.name}, then deis certs:attach ${c.name} <domain> -c ${to.name}`,
      })
    }

    if (!build) {
      report.not_copied.push({what: 'code', why: `${o.app} has no build yet`, fix: `git push ${remoteUrl(to.profile, o.as)} main`})
    } else if (build.sha && existing && (await currentBuild(to.api, o.as))?.sha === build.sha) {
      // git would answer "Everything up-to-date" and build nothing: the target already runs this commit
      report.code = {sha: build.sha, from: 'target'}
      report.copied.push(`code: ${build.sha.slice(0, 7)} already deployed there`)
    } else if (build.sha) {
      const url = remoteUrl(to.profile, o.as)
      step = `pushing ${build.sha.slice(0, 7)} to ${url}`
      if (await hasCommit(o.cwd, build.sha)) {
        o.progress(`Pushing ${build.sha.slice(0, 7)} from this repository to ${url}`)
        await pushCommit(o.cwd, url, build.sha, existing !== undefined)
        report.code = {sha: build.sha, from: 'repository'}
      } else {
        const sourceUrl = remoteUrl(from.profile, o.app)
        o.progress(`Fetching ${build.sha.slice(0, 7)} from ${sourceUrl}, then pushing it to ${url}`)
        await withFetched(sourceUrl, build.sha, dir => pushCommit(dir, url, build.sha, existing !== undefined))
        report.code = {sha: build.sha, from: 'source builder'}
      }
      report.copied.push(`code: ${build.sha.slice(0, 7)} built and deployed`)
    } else {
      step = `deploying image ${build.image}`
      o.progress(`Deploying image ${build.image}`)
      await to.api.builds.create(o.as, build.image, build.procfile)
      report.code = {image: build.image}
      report.copied.push(`code: image ${build.image} deployed`)
    }

    const scale = Object.fromEntries(Object.entries(source.structure ?? {}).filter(([type, n]) => type !== 'web' || n !== 1))
    if (build && Object.keys(scale).length > 0) {
      step = `scaling ${keysOf(scale)}`
      await to.api.ps.scale(o.as, scale)
      report.copied.push(
        `processes: ${Object.entries(scale)
          .map(([t, n]) => `${t}=${n}`)
          .join(' ')}`,
      )
    }
  } catch (error) {
    const now = report.copied.length > 0 ? report.copied.join('; ') : 'nothing'
    const left = report.created ? `app ${o.as} exists there with ${now}` : existing ? `app ${o.as} was there before; changed: ${now}` : 'nothing was created there'
    throw new DeisError(`apps:copy stopped ${step}: ${(error as Error).message.split('\n')[0]}. On ${to.name} (${to.profile.controller}) ${left}`, {
      hint: report.created || existing ? `fix the cause and rerun with --force, or remove it with deis apps:destroy -a ${o.as} --confirm ${o.as} -c ${to.name}` : undefined,
    })
  }
  return report
}

/** The build of the newest release that has one and did not fail, or undefined before the first deploy. */
async function currentBuild(api: Api, app: string): Promise<Build | undefined> {
  const releases = (await api.releases.list(app, {all: true})).results
  const current = releases.filter(r => !r.failed && r.build).sort((a, b) => b.version - a.version)[0]
  if (!current) return undefined
  const builds = (await api.builds.list(app, {all: true})).results
  return builds.find(b => b.uuid === current.build)
}
