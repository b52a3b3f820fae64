import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'

export default class WhitelistRemove extends BaseCommand {
  static override args = {addresses: Args.string({description: 'comma-separated IP addresses or CIDR networks', required: true})}
  static override description = 'stop allowing addresses to reach an app'
  static override enableJsonFlag = false
  static override examples = ['<%= config.bin %> whitelist:remove 10.0.0.1,192.168.0.0/24 --app example-app']
  static override flags = {app: app()}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(WhitelistRemove)
    const appId = await this.ctx.appId(flags.app)
    this.out.note(`Removing ${args.addresses} from ${appId} whitelist...`)
    await this.ctx.api.settings.whitelistRemove(appId, args.addresses.split(','))
    this.out.note('done')
  }
}
