import {BaseCommand} from '../../src/command.js'
import {all, app, limit} from '../../src/flags.js'
import {header} from '../../src/output/format.js'
import type {Domain, Page} from '../../src/api/types.js'

export default class DomainsList extends BaseCommand {
  static override aliases = ['domains:list']
  static override description = 'list the domains of an app'
  static override examples = ['<%= config.bin %> domains:list --app example-app', '<%= config.bin %> domains --app example-app --all --json']
  static override flags = {all: all(), app: app(), limit: limit()}

  async run(): Promise<Page<Domain>> {
    const {flags} = await this.parse(DomainsList)
    const appId = await this.ctx.appId(flags.app)
    const page = await this.ctx.api.domains.list(appId, {limit: flags.limit ?? this.ctx.limit, all: flags.all})
    this.out.log(header(`${appId} Domains`, page.results.length, page.count))
    for (const d of page.results) this.out.log(d.domain)
    return page
  }
}
