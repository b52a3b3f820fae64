import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {parseLabels} from '../../src/parse/key-values.js'
import type {AppSettings} from '../../src/api/types.js'

export default class LabelsSet extends BaseCommand {
  static override description = 'set labels (free-form metadata) on an app'
  static override examples = ['<%= config.bin %> labels:set team=frontend git_repo=https://github.com/example/app --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'labels:set <key>=<value>... [--app <app>]'

  async run(): Promise<AppSettings> {
    const {argv, flags} = await this.parse(LabelsSet)
    const label = parseLabels(argv as string[])
    const appId = await this.ctx.appId(flags.app)
    return this.out.step(`Applying labels on ${appId}`, () => this.ctx.api.settings.set(appId, {label}))
  }
}
