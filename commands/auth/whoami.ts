import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {userBlock} from '../../src/output/format.js'
import type {User} from '../../src/api/types.js'

export default class AuthWhoami extends BaseCommand {
  static override aliases = ['whoami']
  static override description = 'show the user and controller of the current profile, and why that profile is used'
  static override examples = ['<%= config.bin %> auth:whoami', '<%= config.bin %> auth:whoami --all', '<%= config.bin %> auth:whoami --config staging --json']
  static override flags = {all: Flags.boolean({description: 'ask the controller for every detail of the user'})}

  async run(): Promise<(User | {username: string; controller: string}) & {profile: string; profile_reason: string}> {
    const {flags} = await this.parse(AuthWhoami)
    const {username, controller} = this.ctx.profile()
    const {path, reason} = this.ctx.profileChoice
    const choice = {profile: path, profile_reason: reason}
    if (!flags.all) {
      this.out.log(`You are ${username} at ${controller}`)
      this.out.note(`Profile ${path}: ${reason}`)
      return {username, controller, ...choice}
    }
    const user = await this.ctx.api.auth.whoami()
    for (const line of userBlock(user)) this.out.log(line)
    this.out.note(`Profile ${path}: ${reason}`)
    return {...user, ...choice}
  }
}
