import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {healthcheckLines} from '../../src/output/config-views.js'
import type {Healthchecks} from '../../src/api/types.js'

export default class HealthchecksList extends BaseCommand {
  static override aliases = ['healthchecks:list']
  static override description = 'list the liveness and readiness probes of an app'
  static override examples = ['<%= config.bin %> healthchecks:list --app example-app', '<%= config.bin %> healthchecks:list --type web --app example-app']
  static override flags = {
    app: app(),
    type: Flags.string({description: 'only this process type', helpValue: '<type>'}),
  }

  async run(): Promise<Healthchecks> {
    const {flags} = await this.parse(HealthchecksList)
    const appId = await this.ctx.appId(flags.app)
    const config = await this.ctx.api.config.get(appId)
    for (const line of healthcheckLines(appId, config, flags.type)) this.out.log(line)
    return config.healthcheck
  }
}
