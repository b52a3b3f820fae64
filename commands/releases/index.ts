import {BaseCommand} from '../../src/command.js'
import {all, app, limit} from '../../src/flags.js'
import {releaseLines} from '../../src/output/config-views.js'
import type {Page, Release} from '../../src/api/types.js'

export default class ReleasesList extends BaseCommand {
  static override aliases = ['releases:list']
  static override description = 'list the releases of an app, newest first'
  static override examples = ['<%= config.bin %> releases:list --app example-app', '<%= config.bin %> releases:list --limit 5 --app example-app']
  static override flags = {all: all(), app: app(), limit: limit()}

  async run(): Promise<Page<Release>> {
    const {flags} = await this.parse(ReleasesList)
    const appId = await this.ctx.appId(flags.app)
    const page = await this.ctx.api.releases.list(appId, {limit: flags.limit ?? this.ctx.limit, all: flags.all})
    for (const line of releaseLines(appId, page.results, page.count)) this.out.log(line)
    return page
  }
}
