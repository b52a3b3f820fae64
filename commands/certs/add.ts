import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {checkCertName} from '../../src/parse/names.js'
import {readPemPair} from '../../src/pem-files.js'
import type {Certificate} from '../../src/api/types.js'

export default class CertsAdd extends BaseCommand {
  static override args = {
    name: Args.string({description: 'a name for the certificate: a-z, 0-9 and hyphens', required: true}),
    cert: Args.string({description: 'path of the PEM certificate file', required: true}),
    key: Args.string({description: 'path of the PEM private key file', required: true}),
  }
  static override description = 'add a TLS certificate and its private key'
  static override examples = ['<%= config.bin %> certs:add example-com ./example.com.crt ./example.com.key']

  async run(): Promise<Certificate> {
    const {args} = await this.parse(CertsAdd)
    checkCertName(args.name)
    const pem = await readPemPair(this.ctx.cwd, args.cert, args.key)
    return this.out.step('Adding SSL endpoint', () => this.ctx.api.certs.add(args.name, pem.certificate, pem.key))
  }
}
