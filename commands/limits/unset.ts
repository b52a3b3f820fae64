import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyLimits} from '../../src/app-config.js'
import {nullValues} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class LimitsUnset extends BaseCommand {
  static override description = 'remove memory (default) or CPU limits of process types'
  static override examples = ['<%= config.bin %> limits:unset web worker --app example-app', '<%= config.bin %> limits:unset web --cpu --app example-app']
  static override flags = {
    app: app(),
    cpu: Flags.boolean({description: 'remove CPU limits', exclusive: ['memory']}),
    memory: Flags.boolean({char: 'm', description: 'remove memory limits (the default)'}),
  }
  static override strict = false
  static override usage = 'limits:unset <type>... [--cpu | --memory] [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(LimitsUnset)
    const types = nullValues(argv as string[], 'ex: deis limits:unset web')
    const appId = await this.ctx.appId(flags.app)
    return applyLimits(this.ctx, appId, flags.cpu, types)
  }
}
