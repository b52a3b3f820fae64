import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {registryLines} from '../../src/output/config-views.js'
import type {Config} from '../../src/api/types.js'

export default class RegistryList extends BaseCommand {
  static override aliases = ['registry:list']
  static override description = 'list the private registry credentials of an app'
  static override examples = ['<%= config.bin %> registry:list --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Config> {
    const {flags} = await this.parse(RegistryList)
    const appId = await this.ctx.appId(flags.app)
    const config = await this.ctx.api.config.get(appId)
    for (const line of registryLines(appId, config)) this.out.log(line)
    return config
  }
}
