import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {UsageError} from '../../src/errors.js'
import {app, limit} from '../../src/flags.js'
import {header} from '../../src/output/format.js'
import type {AdminPerm, AppPerms, Page} from '../../src/api/types.js'

export default class PermsList extends BaseCommand {
  static override aliases = ['perms:list', 'sharing', 'sharing:list']
  static override description = "list an app's collaborators, or the administrators with --admin"
  static override examples = ['<%= config.bin %> perms:list --app example-app', '<%= config.bin %> perms:list --admin --limit 20']
  static override flags = {
    admin: Flags.boolean({description: 'list the system administrators instead', exclusive: ['app']}),
    app: app({exclusive: ['admin']}),
    limit: limit({description: 'the maximum number of administrators to show (with --admin)'}),
  }

  async run(): Promise<AppPerms | Page<AdminPerm>> {
    const {flags} = await this.parse(PermsList)
    if (flags.admin) {
      const page = await this.ctx.api.perms.listAdmins({limit: flags.limit ?? this.ctx.limit})
      this.out.log(header('Administrators', page.results.length, page.count))
      for (const admin of page.results) this.out.log(admin.username)
      return page
    }
    if (flags.limit !== undefined) throw new UsageError("--limit works only with --admin: an app's collaborators come in one list")
    const appId = await this.ctx.appId(flags.app)
    const perms = await this.ctx.api.perms.list(appId)
    this.out.log(`=== ${appId}'s Users`)
    for (const user of perms.users) this.out.log(user)
    return perms
  }
}
