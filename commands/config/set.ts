import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {setConfigValues} from '../../src/app-config.js'
import {parseKeyValues} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class ConfigSet extends BaseCommand {
  static override description = 'set environment variables of an app (creates a new release)'
  static override examples = [
    '<%= config.bin %> config:set DATABASE_URL=postgres://db/app PORT=5000 --app example-app',
    '<%= config.bin %> config:set "GREETING=hello world" --app example-app',
  ]
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'config:set <key>=<value>... [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(ConfigSet)
    const values = parseKeyValues(argv as string[])
    const appId = await this.ctx.appId(flags.app)
    return setConfigValues(this.ctx, appId, values)
  }
}
