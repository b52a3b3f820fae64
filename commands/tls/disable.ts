import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {TLS} from '../../src/api/types.js'

export default class TlsDisable extends BaseCommand {
  static override description = 'accept plain http requests to an app again'
  static override examples = ['<%= config.bin %> tls:disable --app example-app']
  static override flags = {app: app()}

  async run(): Promise<TLS> {
    const {flags} = await this.parse(TlsDisable)
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Disabling https-only requests for ${appId}`, () => this.ctx.api.tls.set(appId, false))
  }
}
