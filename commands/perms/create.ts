import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'

export default class PermsCreate extends BaseCommand {
  static override aliases = ['sharing:add']
  static override args = {username: Args.string({description: 'the user to give access', required: true})}
  static override description = 'let a user work on an app, or with --admin make them an administrator'
  static override examples = ['<%= config.bin %> perms:create bob --app example-app', '<%= config.bin %> perms:create bob --admin']
  static override flags = {
    admin: Flags.boolean({description: 'make the user a system administrator', exclusive: ['app']}),
    app: app({exclusive: ['admin']}),
  }

  async run(): Promise<{username: string; app: string | null; admin: boolean; added: true}> {
    const {args, flags} = await this.parse(PermsCreate)
    const {username} = args
    if (flags.admin) {
      await this.out.step(`Adding ${username} to system administrators`, () => this.ctx.api.perms.createAdmin(username))
      return {username, app: null, admin: true, added: true}
    }
    const appId = await this.ctx.appId(flags.app)
    await this.out.step(`Adding ${username} to ${appId} collaborators`, () => this.ctx.api.perms.create(appId, username))
    return {username, app: appId, admin: false, added: true}
  }
}
