import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {autoscaleLines} from '../../src/output/app-views.js'
import type {AppSettings} from '../../src/api/types.js'

export default class AutoscaleList extends BaseCommand {
  static override aliases = ['autoscale:list']
  static override description = 'list the autoscale rules of an app'
  static override examples = ['<%= config.bin %> autoscale:list --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings['autoscale']> {
    const {flags} = await this.parse(AutoscaleList)
    const appId = await this.ctx.appId(flags.app)
    const {autoscale} = await this.ctx.api.settings.get(appId)
    for (const line of autoscaleLines(appId, autoscale)) this.out.log(line)
    return autoscale
  }
}
