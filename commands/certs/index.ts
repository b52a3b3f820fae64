import {BaseCommand} from '../../src/command.js'
import {all, limit} from '../../src/flags.js'
import {certsTable} from '../../src/output/app-views.js'
import type {Certificate, Page} from '../../src/api/types.js'

export default class CertsList extends BaseCommand {
  static override aliases = ['certs:list']
  static override description = 'list your TLS certificates'
  static override examples = ['<%= config.bin %> certs:list', '<%= config.bin %> certs --all --json']
  static override flags = {all: all(), limit: limit()}

  async run(): Promise<Page<Certificate>> {
    const {flags} = await this.parse(CertsList)
    const page = await this.ctx.api.certs.list({limit: flags.limit ?? this.ctx.limit, all: flags.all})
    const lines = page.results.length === 0 ? ['No certs'] : await certsTable(page.results, new Date())
    for (const line of lines) this.out.log(line)
    return page
  }
}
