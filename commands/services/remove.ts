import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'

export default class ServicesRemove extends BaseCommand {
  static override args = {type: Args.string({description: 'the process type whose route to remove', required: true})}
  static override description = 'stop routing paths to a process type (Hephy)'
  static override examples = ['<%= config.bin %> services:remove webhooks --app example-app']
  static override flags = {app: app()}

  async run(): Promise<{app: string; procfile_type: string; removed: true}> {
    const {args, flags} = await this.parse(ServicesRemove)
    const appId = await this.ctx.appId(flags.app)
    await this.out.step(`Removing ${args.type} from ${appId}`, () => this.ctx.api.services.remove(appId, args.type))
    return {app: appId, procfile_type: args.type, removed: true}
  }
}
