import {BaseCommand} from '../../src/command.js'
import {all, app, limit} from '../../src/flags.js'
import {buildLines} from '../../src/output/config-views.js'
import type {Build, Page} from '../../src/api/types.js'

export default class BuildsList extends BaseCommand {
  static override aliases = ['builds:list']
  static override description = 'list the builds of an app, newest first'
  static override examples = ['<%= config.bin %> builds:list --app example-app', '<%= config.bin %> builds:list --limit 5 --app example-app']
  static override flags = {all: all(), app: app(), limit: limit()}

  async run(): Promise<Page<Build>> {
    const {flags} = await this.parse(BuildsList)
    const appId = await this.ctx.appId(flags.app)
    const page = await this.ctx.api.builds.list(appId, {limit: flags.limit ?? this.ctx.limit, all: flags.all})
    for (const line of buildLines(appId, page.results, page.count)) this.out.log(line)
    return page
  }
}
