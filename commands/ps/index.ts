import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {processLines} from '../../src/output/app-views.js'
import type {PodList} from '../../src/api/types.js'

export default class PsList extends BaseCommand {
  static override aliases = ['ps:list']
  static override description = 'list the processes of an app'
  static override examples = ['<%= config.bin %> ps:list --app example-app', '<%= config.bin %> ps --app example-app --json']
  static override flags = {app: app()}

  async run(): Promise<PodList> {
    const {flags} = await this.parse(PsList)
    const appId = await this.ctx.appId(flags.app)
    const pods = await this.ctx.api.ps.list(appId)
    for (const line of processLines(appId, pods.results)) this.out.log(line)
    return pods
  }
}
