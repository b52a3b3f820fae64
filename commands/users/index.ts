import {BaseCommand} from '../../src/command.js'
import {all, limit} from '../../src/flags.js'
import {header} from '../../src/output/format.js'
import type {Page, User} from '../../src/api/types.js'

export default class UsersList extends BaseCommand {
  static override aliases = ['users:list']
  static override description = 'list every user of the controller (administrators only)'
  static override examples = ['<%= config.bin %> users:list', '<%= config.bin %> users:list --limit 20', '<%= config.bin %> users:list --all --json']
  static override flags = {all: all(), limit: limit()}

  async run(): Promise<Page<User>> {
    const {flags} = await this.parse(UsersList)
    const page = (await this.ctx.api.users.list({limit: flags.limit ?? this.ctx.limit, all: flags.all})) as Page<User>
    this.out.log(header('Users (*=admin)', page.results.length, page.count))
    for (const user of page.results) this.out.log(`${user.is_superuser ? '*' : ''}${user.username}`)
    return page
  }
}
