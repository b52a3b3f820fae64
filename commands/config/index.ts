import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {configLines} from '../../src/output/config-views.js'
import {shellQuote} from '../../src/shell-quote.js'
import type {Config} from '../../src/api/types.js'

export default class ConfigList extends BaseCommand {
  static override aliases = ['config:list']
  static override description = 'list the environment variables of an app'
  static override examples = [
    '<%= config.bin %> config:list --app example-app',
    '<%= config.bin %> config:list --oneline --app example-app',
    '<%= config.bin %> config:list --diff --app example-app',
    'eval "$(<%= config.bin %> config --shell --app example-app)"',
  ]
  static override flags = {
    app: app(),
    diff: Flags.boolean({description: 'print KEY=VALUE, one per line'}),
    oneline: Flags.boolean({description: 'print KEY=VALUE pairs on one line, space separated (wins over --diff)'}),
    shell: Flags.boolean({description: 'print KEY=value lines, each value quoted for a POSIX shell (for eval or a .env file)'}),
  }

  async run(): Promise<Config> {
    const {flags} = await this.parse(ConfigList)
    const appId = await this.ctx.appId(flags.app)
    const config = await this.ctx.api.config.get(appId)
    const pairs = Object.keys(config.values)
      .sort()
      .map(k => `${k}=${config.values[k]}`)
    if (flags.shell) for (const k of Object.keys(config.values).sort()) this.out.log(`${k}=${shellQuote(String(config.values[k]))}`)
    else if (flags.oneline) this.out.log(pairs.join(' '))
    else if (flags.diff) for (const line of pairs) this.out.log(line)
    else for (const line of configLines(appId, config)) this.out.log(line)
    return config
  }
}
