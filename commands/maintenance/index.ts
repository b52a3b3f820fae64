import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {AppSettings} from '../../src/api/types.js'

export default class MaintenanceInfo extends BaseCommand {
  static override aliases = ['maintenance:info']
  static override description = 'show whether an app is in maintenance mode'
  static override examples = ['<%= config.bin %> maintenance:info --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings> {
    const {flags} = await this.parse(MaintenanceInfo)
    const appId = await this.ctx.appId(flags.app)
    const settings = await this.ctx.api.settings.get(appId)
    this.out.log(`Maintenance mode is ${settings.maintenance ? 'on' : 'off'}.`)
    return settings
  }
}
