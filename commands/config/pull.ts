import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {pullToFile} from '../../src/env-file.js'
import {dotenvLine} from '../../src/output/config-views.js'

export default class ConfigPull extends BaseCommand {
  static override description = 'write the environment variables of an app to a dotenv file (to stdout when piped)'
  static override examples = [
    '<%= config.bin %> config:pull --app example-app',
    '<%= config.bin %> config:pull --path .env.production --overwrite --app example-app',
    '<%= config.bin %> config:pull --app example-app > app.env',
  ]
  static override flags = {
    app: app(),
    interactive: Flags.boolean({char: 'i', description: 'ask before replacing each local value that differs (needs a terminal)'}),
    overwrite: Flags.boolean({char: 'o', description: 'merge into an existing file, app values winning'}),
    path: Flags.string({char: 'p', description: 'file to write (default .env); given, the file is written even when stdout is piped', helpValue: '<file>'}),
  }

  async run(): Promise<Record<string, string>> {
    const {flags} = await this.parse(ConfigPull)
    const appId = await this.ctx.appId(flags.app)
    const {values} = await this.ctx.api.config.get(appId)
    if (flags.path === undefined && !this.out.opts.tty) {
      for (const key of Object.keys(values).sort()) this.out.log(dotenvLine(key, values[key]!))
      return values
    }
    return pullToFile(this.ctx, flags.path ?? '.env', values, {overwrite: flags.overwrite, interactive: flags.interactive})
  }
}
