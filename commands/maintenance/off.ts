import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {AppSettings} from '../../src/api/types.js'

export default class MaintenanceOff extends BaseCommand {
  static override description = 'serve an app again after maintenance'
  static override examples = ['<%= config.bin %> maintenance:off --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings> {
    const {flags} = await this.parse(MaintenanceOff)
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Disabling maintenance mode for ${appId}`, () => this.ctx.api.settings.set(appId, {maintenance: false}))
  }
}
