import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'

export default class AuthPasswd extends BaseCommand {
  static override aliases = ['passwd']
  static override description = "change your password, or as an admin another user's"
  static override examples = [
    '<%= config.bin %> auth:passwd',
    '<%= config.bin %> auth:passwd --password "$OLD" --new-password "$NEW"',
    '<%= config.bin %> auth:passwd --username bob --new-password "$NEW"',
  ]
  static override flags = {
    'new-password': Flags.string({description: 'the new password (prompted twice on a terminal when absent)'}),
    password: Flags.string({description: 'your current password (prompted unless --username is given)'}),
    username: Flags.string({description: 'the user whose password to change (admins only)'}),
  }

  async run(): Promise<{username: string; password_changed: true}> {
    const {flags} = await this.parse(AuthPasswd)
    const {prompt} = this.ctx
    const password = flags.username && !flags.password ? undefined : await prompt.password('current password:', flags.password, 'password')
    const newPassword = await prompt.password('new password:', flags['new-password'], 'new-password', 'new password (confirm):', 'password mismatch, not changing')
    await this.ctx.api.auth.passwd({password, new_password: newPassword, username: flags.username})
    this.out.note('Password change succeeded.')
    return {username: flags.username ?? this.ctx.profile().username, password_changed: true}
  }
}
