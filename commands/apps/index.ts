import {BaseCommand} from '../../src/command.js'
import {all, limit} from '../../src/flags.js'
import {header} from '../../src/output/format.js'
import type {App, Page} from '../../src/api/types.js'

export default class AppsList extends BaseCommand {
  static override aliases = ['apps:list']
  static override description = 'list the apps you can access'
  static override examples = ['<%= config.bin %> apps:list', '<%= config.bin %> apps:list --limit 20', '<%= config.bin %> apps:list --all --json']
  static override flags = {all: all(), limit: limit()}

  async run(): Promise<Page<App>> {
    const {flags} = await this.parse(AppsList)
    const page = await this.ctx.api.apps.list({limit: flags.limit ?? this.ctx.limit, all: flags.all})
    this.out.log(header('Apps', page.results.length, page.count))
    for (const app of page.results) this.out.log(app.id)
    return page
  }
}
