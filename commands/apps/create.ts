import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {remote} from '../../src/flags.js'
import {checkNewAppId} from '../../src/parse/names.js'
import {addRemote, canAddRemote, remoteUrl} from '../../src/git/remote.js'
import type {App} from '../../src/api/types.js'

export default class AppsCreate extends BaseCommand {
  static override aliases = ['create']
  static override args = {id: Args.string({description: 'name of the app; the controller picks one when omitted'})}
  static override description = 'create an app and add a git remote for it'
  static override examples = [
    '<%= config.bin %> apps:create example-app',
    '<%= config.bin %> apps:create example-app --remote staging',
    '<%= config.bin %> apps:create example-app --no-remote --buildpack https://github.com/heroku/heroku-buildpack-nodejs',
  ]
  static override flags = {
    buildpack: Flags.string({char: 'b', description: 'buildpack URL, saved as the BUILDPACK_URL config value', helpValue: '<url>'}),
    'no-remote': Flags.boolean({description: 'do not add a git remote for the app'}),
    remote: remote(),
  }

  async run(): Promise<App> {
    const {args, flags} = await this.parse(AppsCreate)
    if (args.id !== undefined) checkNewAppId(args.id)
    const profile = this.ctx.profile()
    const inRepo = !flags['no-remote'] && (await canAddRemote(this.ctx.cwd, flags.remote, args.id))
    const app = await this.out.step(
      'Creating Application',
      () => this.ctx.api.apps.create(args.id),
      a => `done, created ${a.id}`,
    )
    if (flags.buildpack) await this.ctx.api.config.update(app.id, {values: {BUILDPACK_URL: flags.buildpack}})
    if (inRepo) {
      await addRemote(this.ctx.cwd, flags.remote, remoteUrl(profile, app.id), app.id)
      this.out.note(`Git remote ${flags.remote} successfully created for app ${app.id}.`)
    } else {
      this.out.note(`If you want to add a git remote for this app later, use \`deis git:remote -a ${app.id}\``)
    }

    return app
  }
}
