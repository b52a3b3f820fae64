import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'

export default class PermsDelete extends BaseCommand {
  static override aliases = ['sharing:remove']
  static override args = {username: Args.string({description: 'the user to take access from', required: true})}
  static override description = "remove a user from an app's collaborators, or with --admin from the administrators"
  static override examples = ['<%= config.bin %> perms:delete bob --app example-app', '<%= config.bin %> perms:delete bob --admin']
  static override flags = {
    admin: Flags.boolean({description: 'remove the user from the system administrators', exclusive: ['app']}),
    app: app({exclusive: ['admin']}),
  }

  async run(): Promise<{username: string; app: string | null; admin: boolean; removed: true}> {
    const {args, flags} = await this.parse(PermsDelete)
    const {username} = args
    if (flags.admin) {
      await this.out.step(`Removing ${username} from system administrators`, () => this.ctx.api.perms.removeAdmin(username))
      return {username, app: null, admin: true, removed: true}
    }
    const appId = await this.ctx.appId(flags.app)
    await this.out.step(`Removing ${username} from ${appId} collaborators`, () => this.ctx.api.perms.remove(appId, username))
    return {username, app: appId, admin: false, removed: true}
  }
}
