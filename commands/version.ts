import {Flags} from '@oclif/core'
import {BaseCommand} from '../src/command.js'
import {CLIENT_API_VERSION} from '../src/api/client.js'
import {cliVersion} from '../src/context.js'

export default class Version extends BaseCommand {
  static override description = 'print the client version, and with --all the API versions of client and controller'
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --all', '<%= config.bin %> version --all --config staging']
  static override flags = {all: Flags.boolean({char: 'a', description: 'also print the API versions of the client and the controller'})}

  async run(): Promise<{cli: string; api?: string; controller_api?: string}> {
    const {flags} = await this.parse(Version)
    const cli = `v${cliVersion()}`
    if (!flags.all) {
      this.out.log(cli)
      return {cli}
    }
    this.out.log(`Workflow CLI Version:            ${cli}`)
    this.out.log(`Workflow CLI API Version:        ${CLIENT_API_VERSION}`)
    const controller = await this.ctx.api.health.apiVersion()
    this.out.log(`Workflow Controller API Version: ${controller}`)
    return {cli, api: CLIENT_API_VERSION, controller_api: controller}
  }
}
