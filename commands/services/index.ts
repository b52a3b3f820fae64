import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {serviceLines} from '../../src/output/config-views.js'
import type {Service} from '../../src/api/types.js'

export default class ServicesList extends BaseCommand {
  static override aliases = ['services:list']
  static override description = 'list the extra process types an app routes paths to (Hephy)'
  static override examples = ['<%= config.bin %> services:list --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Service[]> {
    const {flags} = await this.parse(ServicesList)
    const appId = await this.ctx.appId(flags.app)
    const services = await this.ctx.api.services.list(appId)
    for (const line of serviceLines(appId, services)) this.out.log(line)
    return services
  }
}
