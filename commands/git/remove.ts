import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {removeAppRemotes} from '../../src/git/remote.js'

export default class GitRemove extends BaseCommand {
  static override description = 'remove the git remotes of an app from this repository'
  static override examples = ['<%= config.bin %> git:remove --app example-app']
  static override flags = {app: app()}

  async run(): Promise<{app: string; removed: string[]}> {
    const {flags} = await this.parse(GitRemove)
    const appId = await this.ctx.appId(flags.app)
    const removed = await removeAppRemotes(this.ctx.cwd, this.ctx.profile(), appId)
    this.out.note(`Git remotes for app ${appId} removed.`)
    return {app: appId, removed}
  }
}
