import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyLimits} from '../../src/app-config.js'
import {parseLimits} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class LimitsSet extends BaseCommand {
  static override description = 'set memory (default) or CPU limits per process type'
  static override examples = ['<%= config.bin %> limits:set web=512M worker=1G/2G --app example-app', '<%= config.bin %> limits:set web=250m/500m --cpu --app example-app']
  static override flags = {
    app: app(),
    cpu: Flags.boolean({description: 'set CPU limits (values like 500m, 1, 250m/1)', exclusive: ['memory']}),
    memory: Flags.boolean({char: 'm', description: 'set memory limits (the default; values like 512M, 1G, 256M/1G)'}),
  }
  static override strict = false
  static override usage = 'limits:set <type>=<value>... [--cpu | --memory] [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(LimitsSet)
    const limits = parseLimits(argv as string[])
    const appId = await this.ctx.appId(flags.app)
    return applyLimits(this.ctx, appId, flags.cpu, limits)
  }
}
