import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app, remote} from '../../src/flags.js'
import {ensureRemote, remoteUrl} from '../../src/git/remote.js'

export default class GitRemote extends BaseCommand {
  static override description = 'add the git remote of an app to this repository'
  static override examples = ['<%= config.bin %> git:remote --app example-app', '<%= config.bin %> git:remote --app example-app --remote staging --force']
  static override flags = {
    app: app(),
    force: Flags.boolean({char: 'f', description: 'overwrite a remote of that name pointing elsewhere'}),
    remote: remote(),
  }

  async run(): Promise<{app: string; remote: string; url: string; result: 'created' | 'unchanged' | 'replaced'}> {
    const {flags} = await this.parse(GitRemote)
    const appId = await this.ctx.appId(flags.app)
    const url = remoteUrl(this.ctx.profile(), appId)
    const replacing = () => this.out.note(`Deleting git remote ${flags.remote}.`)
    const result = await ensureRemote(this.ctx.cwd, flags.remote, url, {app: appId, force: flags.force, replacing})
    this.out.note(
      result === 'unchanged'
        ? `Remote ${flags.remote} already exists and is correctly configured for app ${appId}.`
        : `Git remote ${flags.remote} successfully created for app ${appId}.`,
    )
    return {app: appId, remote: flags.remote, url, result}
  }
}
