import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {cancelAccount} from '../../src/config/session.js'

export default class AuthCancel extends BaseCommand {
  static override description = "delete your account, or as an admin another user's"
  static override examples = [
    '<%= config.bin %> auth:cancel',
    '<%= config.bin %> auth:cancel --username alice --password "$PASSWORD" --yes',
    '<%= config.bin %> auth:cancel --username bob --yes',
  ]
  static override flags = {
    password: Flags.string({description: 'your password, to log in again before cancelling your own account'}),
    username: Flags.string({description: "the account to cancel (another user's needs admin)"}),
    yes: Flags.boolean({description: 'do not ask for confirmation'}),
  }

  async run(): Promise<{username: string; cancelled: true}> {
    const {flags} = await this.parse(AuthCancel)
    const username = await cancelAccount(this.ctx, flags)
    this.out.note('Account cancelled')
    return {username, cancelled: true}
  }
}
