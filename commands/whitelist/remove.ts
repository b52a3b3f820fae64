import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'

export default class WhitelistRemove extends BaseCommand {
  static override args = {addresses: Args.string({description: 'comma-separated IP addresses or CIDR networks', required: true})}
  static override description = 'stop allowing addresses to reach an app'
  static override examples = ['<%= config.bin %> whitelist:remove 10.0.0.1,192.168.0.0/24 --app example-app']
  static override flags = {app: app()}

  async run(): Promise<{app: string; addresses: string[]; removed: true}> {
    const {args, flags} = await this.parse(WhitelistRemove)
    const appId = await this.ctx.appId(flags.app)
    this.out.note(`Removing ${args.addresses} from ${appId} whitelist...`)
    const addresses = args.addresses.split(',')
    await this.ctx.api.settings.whitelistRemove(appId, addresses)
    this.out.note('done')
    return {app: appId, addresses, removed: true}
  }
}
