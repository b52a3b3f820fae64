import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {AppSettings} from '../../src/api/types.js'

export default class AutoscaleUnset extends BaseCommand {
  static override args = {type: Args.string({description: 'the process type, e.g. web', required: true})}
  static override description = 'stop scaling a process type automatically'
  static override examples = ['<%= config.bin %> autoscale:unset web --app example-app']
  static override flags = {app: app()}

  async run(): Promise<AppSettings> {
    const {args, flags} = await this.parse(AutoscaleUnset)
    const appId = await this.ctx.appId(flags.app)
    const message = `Removing autoscale for process type ${args.type} on ${appId}`
    return this.out.step(message, () => this.ctx.api.settings.set(appId, {autoscale: {[args.type]: null}}))
  }
}
