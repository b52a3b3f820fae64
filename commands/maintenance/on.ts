import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {AppSettings} from '../../src/api/types.js'

export default class MaintenanceOn extends BaseCommand {
  static override description = 'show the maintenance page instead of an app'
  static override examples = ['<%= config.bin %> maintenance:on --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings> {
    const {flags} = await this.parse(MaintenanceOn)
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Enabling maintenance mode for ${appId}`, () => this.ctx.api.settings.set(appId, {maintenance: true}))
  }
}
