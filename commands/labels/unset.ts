import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {nullValues} from '../../src/parse/key-values.js'
import type {AppSettings} from '../../src/api/types.js'

export default class LabelsUnset extends BaseCommand {
  static override description = 'remove labels from an app'
  static override examples = ['<%= config.bin %> labels:unset team git_repo --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'labels:unset <key>... [--app <app>]'

  async run(): Promise<AppSettings> {
    const {argv, flags} = await this.parse(LabelsUnset)
    const label = nullValues(argv as string[], 'ex: deis labels:unset team')
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Removing labels on ${appId}`, () => this.ctx.api.settings.set(appId, {label}))
  }
}
