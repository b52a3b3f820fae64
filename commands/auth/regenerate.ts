import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {saveOwnToken} from '../../src/config/session.js'

export default class AuthRegenerate extends BaseCommand {
  static override description = "regenerate a token: yours (saved in the profile), another user's, or everyone's"
  static override examples = ['<%= config.bin %> auth:regenerate', '<%= config.bin %> auth:regenerate --username bob', '<%= config.bin %> auth:regenerate --all']
  static override flags = {
    all: Flags.boolean({description: 'regenerate the token of every user, yours included (admins only)', exclusive: ['username']}),
    username: Flags.string({char: 'u', description: 'the user whose token to regenerate (admins only)'}),
  }

  async run(): Promise<{username: string | null; all: boolean; token_regenerated: true; profile_updated: boolean}> {
    const {flags} = await this.parse(AuthRegenerate)
    const profile = this.ctx.profile()
    const answer = await this.ctx.api.auth.regenerate({username: flags.username, all: flags.all})
    const own = !flags.all && (!flags.username || flags.username === profile.username)
    const saved = own && typeof answer === 'object' && (await saveOwnToken(this.ctx, profile, answer.token))
    this.out.note('Token Regenerated')
    return {username: flags.all ? null : (flags.username ?? profile.username), all: flags.all, token_regenerated: true, profile_updated: Boolean(saved)}
  }
}
