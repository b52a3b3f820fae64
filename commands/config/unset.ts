import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyConfig} from '../../src/app-config.js'
import {configLines} from '../../src/output/config-views.js'
import {nullValues} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class ConfigUnset extends BaseCommand {
  static override description = 'unset environment variables of an app (creates a new release)'
  static override examples = ['<%= config.bin %> config:unset DATABASE_URL PORT --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'config:unset <key>... [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(ConfigUnset)
    const values = nullValues(argv as string[], 'ex: deis config:unset KEY')
    const appId = await this.ctx.appId(flags.app)
    return applyConfig(this.ctx, 'Removing config', appId, {values}, c => configLines(appId, c))
  }
}
