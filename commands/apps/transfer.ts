import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'

export default class AppsTransfer extends BaseCommand {
  static override args = {username: Args.string({description: 'the user who will own the app', required: true})}
  static override description = 'transfer an app to another user'
  static override examples = ['<%= config.bin %> apps:transfer bob --app example-app']
  static override flags = {app: app()}

  async run(): Promise<{app: string; owner: string}> {
    const {args, flags} = await this.parse(AppsTransfer)
    const appId = await this.ctx.appId(flags.app)
    await this.out.step(`Transferring ${appId} to ${args.username}`, () => this.ctx.api.apps.transfer(appId, args.username))
    return {app: appId, owner: args.username}
  }
}
