import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {TLS} from '../../src/api/types.js'

export default class TlsInfo extends BaseCommand {
  static override aliases = ['tls:info']
  static override description = 'show whether an app accepts https requests only'
  static override examples = ['<%= config.bin %> tls:info --app example-app']
  static override flags = {app: app()}

  async run(): Promise<TLS> {
    const {flags} = await this.parse(TlsInfo)
    const appId = await this.ctx.appId(flags.app)
    const tls = await this.ctx.api.tls.get(appId)
    this.out.log(`=== ${appId} TLS`)
    this.out.log(`HTTPS Enforced: ${tls.https_enforced ?? 'not set'}`)
    return tls
  }
}
