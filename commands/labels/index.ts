import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {labelLines} from '../../src/output/app-views.js'
import type {AppSettings} from '../../src/api/types.js'

export default class LabelsList extends BaseCommand {
  static override aliases = ['labels:list']
  static override description = 'list the labels of an app'
  static override examples = ['<%= config.bin %> labels:list --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings['label']> {
    const {flags} = await this.parse(LabelsList)
    const appId = await this.ctx.appId(flags.app)
    const {label} = await this.ctx.api.settings.get(appId)
    for (const line of labelLines(appId, label)) this.out.log(line)
    return label
  }
}
