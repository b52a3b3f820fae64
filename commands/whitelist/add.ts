import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {Whitelist} from '../../src/api/types.js'

export default class WhitelistAdd extends BaseCommand {
  static override args = {addresses: Args.string({description: 'comma-separated IP addresses or CIDR networks', required: true})}
  static override description = 'allow addresses (IPs or CIDR networks) to reach an app'
  static override examples = ['<%= config.bin %> whitelist:add 10.0.0.1,192.168.0.0/24 --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Whitelist> {
    const {args, flags} = await this.parse(WhitelistAdd)
    const appId = await this.ctx.appId(flags.app)
    this.out.note(`Adding ${args.addresses} to ${appId} whitelist...`)
    const list = await this.ctx.api.settings.whitelistAdd(appId, args.addresses.split(','))
    this.out.note('done')
    return list
  }
}
