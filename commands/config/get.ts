import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {DeisError} from '../../src/errors.js'
import {app} from '../../src/flags.js'

export default class ConfigGet extends BaseCommand {
  static override args = {key: Args.string({description: 'the variable to print', required: true})}
  static override description = 'print the raw value of one environment variable of an app (exit 1 when unset)'
  static override examples = ['<%= config.bin %> config:get DATABASE_URL --app example-app', 'export PORT="$(<%= config.bin %> config:get PORT --app example-app)"']
  static override flags = {app: app()}

  async run(): Promise<{key: string; value: string}> {
    const {args, flags} = await this.parse(ConfigGet)
    const appId = await this.ctx.appId(flags.app)
    const {values} = await this.ctx.api.config.get(appId)
    const value = values[args.key]
    if (value === undefined || value === null) throw new DeisError(`${args.key} is not set for ${appId}`, {hint: `see them all with \`deis config --app ${appId}\``})
    this.out.log(String(value))
    return {key: args.key, value: String(value)}
  }
}
