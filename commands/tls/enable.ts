import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {TLS} from '../../src/api/types.js'

export default class TlsEnable extends BaseCommand {
  static override description = 'refuse plain http requests to an app (redirect them to https)'
  static override examples = ['<%= config.bin %> tls:enable --app example-app']
  static override flags = {app: app()}

  async run(): Promise<TLS> {
    const {flags} = await this.parse(TlsEnable)
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Enabling https-only requests for ${appId}`, () => this.ctx.api.tls.set(appId, true))
  }
}
