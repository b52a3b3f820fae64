import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {autoscaleRule} from '../../src/parse/key-values.js'
import type {AppSettings} from '../../src/api/types.js'

export default class AutoscaleSet extends BaseCommand {
  static override args = {type: Args.string({description: 'the process type, e.g. web', required: true})}
  static override description = 'scale a process type automatically between two counts by CPU use'
  static override examples = ['<%= config.bin %> autoscale:set web --min 2 --max 10 --cpu-percent 60 --app example-app']
  static override flags = {
    app: app(),
    'cpu-percent': Flags.integer({description: 'target CPU use, in percent', required: true}),
    max: Flags.integer({description: 'the most processes to run', required: true}),
    min: Flags.integer({description: 'the fewest processes to run', required: true}),
  }

  async run(): Promise<AppSettings> {
    const {args, flags} = await this.parse(AutoscaleSet)
    const rule = autoscaleRule(args.type, flags.min, flags.max, flags['cpu-percent'])
    const appId = await this.ctx.appId(flags.app)
    const message = `Applying autoscale settings for process type ${args.type} on ${appId}`
    return this.out.step(message, () => this.ctx.api.settings.set(appId, {autoscale: {[args.type]: rule}}))
  }
}
