import {BaseCommand} from '../../src/command.js'
import {all, limit} from '../../src/flags.js'
import {header} from '../../src/output/format.js'
import {keyRows} from '../../src/ssh/public-key.js'
import type {Key, Page} from '../../src/api/types.js'

export default class KeysList extends BaseCommand {
  static override aliases = ['keys:list']
  static override description = 'list your SSH public keys'
  static override examples = ['<%= config.bin %> keys:list', '<%= config.bin %> keys:list --limit 20', '<%= config.bin %> keys:list --all --json']
  static override flags = {all: all(), limit: limit()}

  async run(): Promise<Page<Key>> {
    const {flags} = await this.parse(KeysList)
    const page = await this.ctx.api.keys.list({limit: flags.limit ?? this.ctx.limit, all: flags.all})
    this.out.log(header(`${this.ctx.profile().username} Keys`, page.results.length, page.count))
    for (const row of keyRows(page.results)) this.out.log(row)
    return page
  }
}
