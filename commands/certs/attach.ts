import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'

export default class CertsAttach extends BaseCommand {
  static override args = {
    name: Args.string({description: 'the certificate name', required: true}),
    domain: Args.string({description: 'a domain already added to an app', required: true}),
  }
  static override description = 'attach a TLS certificate to a domain'
  static override examples = ['<%= config.bin %> certs:attach example-com www.example.com']

  async run(): Promise<{certificate: string; domain: string; attached: true}> {
    const {args} = await this.parse(CertsAttach)
    await this.out.step(`Attaching certificate ${args.name} to domain ${args.domain}`, () => this.ctx.api.certs.attach(args.name, args.domain))
    return {certificate: args.name, domain: args.domain, attached: true}
  }
}
