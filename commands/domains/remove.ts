import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'

export default class DomainsRemove extends BaseCommand {
  static override args = {domain: Args.string({description: 'the host name to unbind', required: true})}
  static override description = 'unbind a domain from an app'
  static override examples = ['<%= config.bin %> domains:remove www.example.com --app example-app']
  static override flags = {app: app()}

  async run(): Promise<{app: string; domain: string; removed: true}> {
    const {args, flags} = await this.parse(DomainsRemove)
    const appId = await this.ctx.appId(flags.app)
    await this.out.step(`Removing ${args.domain} from ${appId}`, () => this.ctx.api.domains.remove(appId, args.domain))
    return {app: appId, domain: args.domain, removed: true}
  }
}
