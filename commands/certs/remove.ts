import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'

export default class CertsRemove extends BaseCommand {
  static override args = {name: Args.string({description: 'the certificate name', required: true})}
  static override description = 'remove a TLS certificate, detaching it from its domains'
  static override examples = ['<%= config.bin %> certs:remove example-com']

  async run(): Promise<{certificate: string; removed: true}> {
    const {args} = await this.parse(CertsRemove)
    await this.out.step(`Removing ${args.name}`, () => this.ctx.api.certs.remove(args.name))
    return {certificate: args.name, removed: true}
  }
}
