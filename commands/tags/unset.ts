import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyConfig} from '../../src/app-config.js'
import {tagLines} from '../../src/output/config-views.js'
import {nullValues} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class TagsUnset extends BaseCommand {
  static override description = 'remove node-selector tags of an app'
  static override examples = ['<%= config.bin %> tags:unset environ rack --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'tags:unset <key>... [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(TagsUnset)
    const tags = nullValues(argv as string[], 'ex: deis tags:unset rack')
    const appId = await this.ctx.appId(flags.app)
    return applyConfig(this.ctx, 'Applying tags', appId, {tags}, c => tagLines(appId, c))
  }
}
