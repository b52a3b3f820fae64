import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyConfig} from '../../src/app-config.js'
import {registryLines} from '../../src/output/config-views.js'
import {nullValues, registryKeys} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class RegistryUnset extends BaseCommand {
  static override description = 'remove private registry credentials of an app'
  static override examples = ['<%= config.bin %> registry:unset username password --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'registry:unset <key>... [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(RegistryUnset)
    const registry = nullValues(registryKeys(argv as string[]), 'ex: deis registry:unset username password')
    const appId = await this.ctx.appId(flags.app)
    return applyConfig(this.ctx, 'Applying registry information', appId, {registry}, c => registryLines(appId, c))
  }
}
