import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import type {Service} from '../../src/api/types.js'

export default class ServicesAdd extends BaseCommand {
  static override description = 'route requests whose path matches a pattern to a process type (Hephy; one per type)'
  static override examples = [
    '<%= config.bin %> services:add --type webhooks --route /webhooks/notify --app example-app',
    "<%= config.bin %> services:add --type api --route '/api,~ ^/users/[0-9]+/.*' --app example-app",
  ]
  static override flags = {
    app: app(),
    route: Flags.string({description: 'nginx location patterns, comma-separated (`~ <regex>` for a regex)', helpValue: '<pattern>', required: true}),
    type: Flags.string({description: 'the process type to send the requests to', helpValue: '<proctype>', required: true}),
  }

  async run(): Promise<Service & {app: string}> {
    const {flags} = await this.parse(ServicesAdd)
    const appId = await this.ctx.appId(flags.app)
    const service = {procfile_type: flags.type, path_pattern: flags.route}
    await this.out.step(`Adding ${flags.type} (${flags.route}) to ${appId}`, () => this.ctx.api.services.add(appId, service))
    return {app: appId, ...service}
  }
}
