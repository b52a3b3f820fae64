import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyConfig} from '../../src/app-config.js'
import {tagLines} from '../../src/output/config-views.js'
import {parseTags} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class TagsSet extends BaseCommand {
  static override description = 'set node-selector tags so the app runs only on matching nodes'
  static override examples = ['<%= config.bin %> tags:set environ=dev rack=1 --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'tags:set <key>=<value>... [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(TagsSet)
    const tags = parseTags(argv as string[])
    const appId = await this.ctx.appId(flags.app)
    return applyConfig(this.ctx, 'Applying tags', appId, {tags}, c => tagLines(appId, c))
  }
}
