import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {removeAppRemotes} from '../../src/git/remote.js'

export default class GitRemove extends BaseCommand {
  static override description = 'remove the git remotes of an app from this repository'
  static override enableJsonFlag = false
  static override examples = ['<%= config.bin %> git:remove --app example-app']
  static override flags = {app: app()}

  async run(): Promise<void> {
    const {flags} = await this.parse(GitRemove)
    const appId = await this.ctx.appId(flags.app)
    await removeAppRemotes(this.ctx.cwd, this.ctx.profile(), appId)
    this.out.note(`Git remotes for app ${appId} removed.`)
  }
}
