import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {header} from '../../src/output/format.js'
import {appBlock, appUrl, labelLines, processLines} from '../../src/output/app-views.js'
import type {App, AppSettings, Domain, Page, PodList} from '../../src/api/types.js'

type AppInfo = {app: App; processes: PodList; domains: Page<Domain>; settings: AppSettings}

export default class AppsInfo extends BaseCommand {
  static override aliases = ['info']
  static override description = 'show an app: its details, processes, domains and labels'
  static override examples = ['<%= config.bin %> apps:info --app example-app', '<%= config.bin %> info --app example-app --json']
  static override flags = {app: app()}

  async run(): Promise<AppInfo> {
    const {flags} = await this.parse(AppsInfo)
    const appId = await this.ctx.appId(flags.app)
    const api = this.ctx.api
    const [info, processes, domains, settings] = await Promise.all([
      api.apps.get(appId),
      api.ps.list(appId),
      api.domains.list(appId, {limit: this.ctx.limit}),
      api.settings.get(appId),
    ])
    const profile = this.ctx.profile()
    const first = domains.results[0]?.domain
    const url = first ? appUrl(profile.controller, first, profile.router) : `No domain assigned to ${appId}`
    const domainLines = [header(`${appId} Domains`, domains.results.length, domains.count), ...domains.results.map(d => d.domain)]
    const blocks = [appBlock(info, url), processLines(appId, processes.results), domainLines, labelLines(appId, settings.label)]
    for (const block of blocks) for (const line of [...block, '']) this.out.log(line)
    return {app: info, processes, domains, settings}
  }
}
