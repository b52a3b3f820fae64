import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {caBundlePath, flagEnabled, logIn, register} from '../../src/config/session.js'
import type {User} from '../../src/api/types.js'

export default class AuthRegister extends BaseCommand {
  static override aliases = ['register']
  static override args = {controller: Args.string({description: 'URL of the controller, e.g. https://deis.example.com', required: true})}
  static override description = 'register a new user with a controller, then log in as that user'
  static override examples = [
    '<%= config.bin %> auth:register http://deis.example.com',
    '<%= config.bin %> auth:register http://127.0.0.1:8000 --username alice --password "$PASSWORD" --email alice@example.com',
    '<%= config.bin %> auth:register http://deis.example.com --username bob --password "$PASSWORD" --email bob@example.com --login false',
  ]
  static override flags = {
    'ca-bundle': Flags.string({description: 'PEM file of CA certificates to trust for this controller (kept in the profile)', helpValue: '<file>'}),
    email: Flags.string({description: 'email address (prompted on a terminal when absent)'}),
    login: Flags.string({default: 'true', description: 'log in as the new user afterwards; only "false" disables it'}),
    password: Flags.string({description: 'password (prompted twice on a terminal when absent)'}),
    'ssl-verify': Flags.string({default: 'true', description: 'verify the controller\'s TLS certificate; only "false" disables it'}),
    username: Flags.string({description: 'username (prompted on a terminal when absent)'}),
  }

  static override profileFromRemote = false

  async run(): Promise<User> {
    const {args, flags} = await this.parse(AuthRegister)
    const sslVerify = flagEnabled(flags['ssl-verify'])
    const caBundle = caBundlePath(this.ctx, flags['ca-bundle'])
    const reg = {controller: args.controller, sslVerify, caBundle, username: flags.username, password: flags.password, email: flags.email}
    const {user, password} = await register(this.ctx, reg)
    this.out.note(`Registered ${user.username}`)
    if (flagEnabled(flags.login)) await logIn(this.ctx, {controller: args.controller, username: user.username, password, sslVerify, caBundle})
    return user
  }
}
