import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {timeoutLines} from '../../src/output/config-views.js'
import type {Config} from '../../src/api/types.js'

export default class TimeoutsList extends BaseCommand {
  static override aliases = ['timeouts:list']
  static override description = 'list how long each process type gets to stop before it is killed (Hephy)'
  static override examples = ['<%= config.bin %> timeouts:list --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Config> {
    const {flags} = await this.parse(TimeoutsList)
    const appId = await this.ctx.appId(flags.app)
    const config = await this.ctx.api.config.get(appId)
    for (const line of timeoutLines(appId, config)) this.out.log(line)
    return config
  }
}
