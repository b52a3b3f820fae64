import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {AppSettings} from '../../src/api/types.js'

export default class RoutingEnable extends BaseCommand {
  static override description = 'let the router send requests to an app'
  static override examples = ['<%= config.bin %> routing:enable --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings> {
    const {flags} = await this.parse(RoutingEnable)
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Enabling routing for ${appId}`, () => this.ctx.api.settings.set(appId, {routable: true}))
  }
}
