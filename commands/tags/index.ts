import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {tagLines} from '../../src/output/config-views.js'
import type {Config} from '../../src/api/types.js'

export default class TagsList extends BaseCommand {
  static override aliases = ['tags:list']
  static override description = 'list the node-selector tags of an app'
  static override examples = ['<%= config.bin %> tags:list --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Config> {
    const {flags} = await this.parse(TagsList)
    const appId = await this.ctx.appId(flags.app)
    const config = await this.ctx.api.config.get(appId)
    for (const line of tagLines(appId, config)) this.out.log(line)
    return config
  }
}
