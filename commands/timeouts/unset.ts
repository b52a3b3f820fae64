import {BaseCommand} from '../../src/command.js'
import {applyTimeouts} from '../../src/app-config.js'
import {app} from '../../src/flags.js'
import {nullValues} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class TimeoutsUnset extends BaseCommand {
  static override description = 'return process types to the default stop timeout (Hephy)'
  static override examples = ['<%= config.bin %> timeouts:unset web worker --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'timeouts:unset <type>... [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(TimeoutsUnset)
    const types = nullValues(argv as string[])
    const appId = await this.ctx.appId(flags.app)
    return applyTimeouts(this.ctx, appId, types)
  }
}
