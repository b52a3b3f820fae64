import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {AppSettings} from '../../src/api/types.js'

export default class RoutingInfo extends BaseCommand {
  static override aliases = ['routing:info']
  static override description = 'show whether the router sends requests to an app'
  static override examples = ['<%= config.bin %> routing:info --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings> {
    const {flags} = await this.parse(RoutingInfo)
    const appId = await this.ctx.appId(flags.app)
    const settings = await this.ctx.api.settings.get(appId)
    this.out.log(`Routing is ${settings.routable === false ? 'disabled' : 'enabled'}.`)
    return settings
  }
}
