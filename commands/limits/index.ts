import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {limitLines} from '../../src/output/config-views.js'
import type {Config} from '../../src/api/types.js'

export default class LimitsList extends BaseCommand {
  static override aliases = ['limits:list']
  static override description = 'list the memory and CPU limits of an app'
  static override examples = ['<%= config.bin %> limits:list --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Config> {
    const {flags} = await this.parse(LimitsList)
    const appId = await this.ctx.appId(flags.app)
    const config = await this.ctx.api.config.get(appId)
    for (const line of limitLines(appId, config)) this.out.log(line)
    return config
  }
}
