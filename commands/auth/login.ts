import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {caBundlePath, flagEnabled, logIn, type LoginResult} from '../../src/config/session.js'

export default class AuthLogin extends BaseCommand {
  static override aliases = ['login']
  static override args = {controller: Args.string({description: 'URL of the controller, e.g. https://deis.example.com', required: true})}
  static override description = 'log in to a controller and save the token in the profile'
  static override examples = [
    '<%= config.bin %> auth:login http://deis.example.com',
    '<%= config.bin %> auth:login http://127.0.0.1:8000 --username alice --password "$PASSWORD"',
    '<%= config.bin %> auth:login https://deis.example.com --ssl-verify false --config staging',
    '<%= config.bin %> auth:login https://deis.example.com --token "$DEIS_CI_TOKEN"',
  ]
  static override flags = {
    'ca-bundle': Flags.string({description: 'PEM file of CA certificates to trust for this controller (kept in the profile)', helpValue: '<file>'}),
    password: Flags.string({description: 'password (prompted on a terminal when absent)'}),
    'ssl-verify': Flags.string({default: 'true', description: 'verify the controller\'s TLS certificate; only "false" disables it'}),
    token: Flags.string({description: 'log in with this API token instead of a password (for CI; or set DEIS_TOKEN on each command)', exclusive: ['password', 'username']}),
    username: Flags.string({description: 'username (prompted on a terminal when absent)'}),
  }

  static override profileFromRemote = false

  async run(): Promise<LoginResult> {
    const {args, flags} = await this.parse(AuthLogin)
    return logIn(this.ctx, {
      controller: args.controller,
      username: flags.username,
      password: flags.password,
      sslVerify: flagEnabled(flags['ssl-verify']),
      caBundle: caBundlePath(this.ctx, flags['ca-bundle']),
      token: flags.token,
    })
  }
}
