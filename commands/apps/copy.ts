import {Args, Flags} from '@oclif/core'
import {copyApp, type CopyReport} from '../../src/app-copy.js'
import {BaseCommand} from '../../src/command.js'
import {UsageError} from '../../src/errors.js'
import {app} from '../../src/flags.js'

export default class AppsCopy extends BaseCommand {
  static override args = {app: Args.string({description: 'the app to copy (default: --app, $DEIS_APP, then the git remote)'})}
  static override description = 'recreate an app on another controller (config, limits, healthchecks, tags, autoscale, labels) and deploy the same code there'
  static override examples = ['<%= config.bin %> apps:copy example-app --to cluster', '<%= config.bin %> apps:copy example-app --to cluster --as example-prod --domains']
  static override flags = {
    app: app(),
    as: Flags.string({description: 'name of the copy (default: the same name)', helpValue: '<new-name>'}),
    domains: Flags.boolean({description: 'copy the domains too (certificates are never copied: their keys stay on the source)'}),
    force: Flags.boolean({char: 'f', description: "overwrite an app of that name on the target: its settings become the source's and its code is replaced"}),
    to: Flags.string({description: 'the profile of the controller to copy to', helpValue: '<profile>', required: true}),
  }

  async run(): Promise<CopyReport> {
    const {args, flags} = await this.parse(AppsCopy)
    const appId = args.app ?? (await this.ctx.appId(flags.app))
    const as = flags.as ?? appId
    const from = {name: this.ctx.configFlag ?? this.ctx.env.DEIS_PROFILE ?? 'client', profile: this.ctx.profile(), api: this.ctx.api}
    const to = this.ctx.other(flags.to)
    if (to.profile.controller === from.profile.controller && as === appId)
      throw new UsageError(`${flags.to} is the controller ${appId} is on`, 'name the copy with --as <new-name>, or copy to another profile')
    const report = await copyApp({app: appId, as, from, to, domains: flags.domains, force: flags.force, cwd: this.ctx.cwd, progress: line => this.out.note(`${line}...`)})
    this.out.log(`Copied ${appId} to ${as} on ${to.name} (${to.profile.controller}):`)
    for (const line of report.copied) this.out.log(`  ${line}`)
    if (report.not_copied.length > 0) {
      this.out.log('Not copied:')
      for (const n of report.not_copied) this.out.log(`  ${n.what}: ${n.why}; ${n.fix}`)
    }
    return report
  }
}
