import {BaseCommand} from '../../src/command.js'
import {logOut} from '../../src/config/session.js'

export default class AuthLogout extends BaseCommand {
  static override aliases = ['logout']
  static override description = 'log out: remove the profile and forget its keychain token'
  static override examples = ['<%= config.bin %> auth:logout', '<%= config.bin %> auth:logout --config staging']

  async run(): Promise<{profile: string; logged_out: true}> {
    await this.parse(AuthLogout)
    await logOut(this.ctx)
    this.out.note('Logged out')
    return {profile: this.ctx.profilePath, logged_out: true}
  }
}
