import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyConfig} from '../../src/app-config.js'
import {registryLines} from '../../src/output/config-views.js'
import {parseRegistry} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class RegistrySet extends BaseCommand {
  static override description = 'set private registry credentials (username, password) for an app'
  static override examples = ['<%= config.bin %> registry:set username=bot password=s3cret --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'registry:set <key>=<value>... [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(RegistrySet)
    const registry = parseRegistry(argv as string[])
    const appId = await this.ctx.appId(flags.app)
    return applyConfig(this.ctx, 'Applying registry information', appId, {registry}, c => registryLines(appId, c))
  }
}
