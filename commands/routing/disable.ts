import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {AppSettings} from '../../src/api/types.js'

export default class RoutingDisable extends BaseCommand {
  static override description = 'stop the router sending requests to an app'
  static override examples = ['<%= config.bin %> routing:disable --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings> {
    const {flags} = await this.parse(RoutingDisable)
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Disabling routing for ${appId}`, () => this.ctx.api.settings.set(appId, {routable: false}))
  }
}
