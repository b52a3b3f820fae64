import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'

export default class CertsDetach extends BaseCommand {
  static override args = {
    name: Args.string({description: 'the certificate name', required: true}),
    domain: Args.string({description: 'the domain to detach it from', required: true}),
  }
  static override description = 'detach a TLS certificate from a domain'
  static override examples = ['<%= config.bin %> certs:detach example-com www.example.com']

  async run(): Promise<{certificate: string; domain: string; detached: true}> {
    const {args} = await this.parse(CertsDetach)
    await this.out.step(`Detaching certificate ${args.name} from domain ${args.domain}`, () => this.ctx.api.certs.detach(args.name, args.domain))
    return {certificate: args.name, domain: args.domain, detached: true}
  }
}
