import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {certInfoLines} from '../../src/output/app-views.js'
import type {Certificate} from '../../src/api/types.js'

export default class CertsInfo extends BaseCommand {
  static override args = {name: Args.string({description: 'the certificate name', required: true})}
  static override description = 'show a TLS certificate'
  static override examples = ['<%= config.bin %> certs:info example-com']

  async run(): Promise<Certificate> {
    const {args} = await this.parse(CertsInfo)
    const cert = await this.ctx.api.certs.get(args.name)
    for (const line of certInfoLines(cert)) this.out.log(line)
    return cert
  }
}
