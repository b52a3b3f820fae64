import {BaseCommand} from '../../src/command.js'
import {app, confirm} from '../../src/flags.js'
import {forgetAppRemotes} from '../../src/git/remote.js'

export default class AppsDestroy extends BaseCommand {
  static override aliases = ['destroy']
  static override description = 'destroy an app and everything it runs'
  static override examples = ['<%= config.bin %> apps:destroy --app example-app', '<%= config.bin %> apps:destroy --app example-app --confirm example-app']
  static override flags = {app: app(), confirm: confirm()}

  async run(): Promise<{app: string; destroyed: true; remotes_removed: boolean}> {
    const {flags} = await this.parse(AppsDestroy)
    const target = await this.ctx.app(flags.app)
    await this.ctx.prompt.confirmName(target.id, flags.confirm, text => this.out.warn(text))
    const start = Date.now()
    await this.out.step(
      `Destroying ${target.id}`,
      () => this.ctx.api.apps.remove(target.id),
      () => `done in ${Math.floor((Date.now() - start) / 1000)}s`,
    )
    if (target.from !== 'remote') return {app: target.id, destroyed: true, remotes_removed: false}
    const warning = await forgetAppRemotes(this.ctx.cwd, this.ctx.profile(), target.id)
    if (warning) this.out.warn(warning)
    else this.out.note(`Git remotes for app ${target.id} removed.`)
    return {app: target.id, destroyed: true, remotes_removed: !warning}
  }
}
