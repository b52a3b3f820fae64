import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {Whitelist} from '../../src/api/types.js'

export default class WhitelistList extends BaseCommand {
  static override aliases = ['whitelist:list']
  static override description = 'list the addresses allowed to reach an app'
  static override examples = ['<%= config.bin %> whitelist:list --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Whitelist> {
    const {flags} = await this.parse(WhitelistList)
    const appId = await this.ctx.appId(flags.app)
    const list = await this.ctx.api.settings.whitelist(appId)
    this.out.log(`=== ${appId} Whitelisted Addresses`)
    for (const a of list.addresses) this.out.log(a)
    return list
  }
}
