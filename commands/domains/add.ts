import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {Domain} from '../../src/api/types.js'

export default class DomainsAdd extends BaseCommand {
  static override args = {domain: Args.string({description: 'the host name, e.g. www.example.com or *.example.com', required: true})}
  static override description = 'bind a domain to an app'
  static override examples = ['<%= config.bin %> domains:add www.example.com --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Domain> {
    const {args, flags} = await this.parse(DomainsAdd)
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Adding ${args.domain} to ${appId}`, () => this.ctx.api.domains.add(appId, args.domain))
  }
}
