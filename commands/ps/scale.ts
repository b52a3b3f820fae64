import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {processLines} from '../../src/output/app-views.js'
import {hasRelativeCounts, parseCounts} from '../../src/parse/key-values.js'
import {withCoffee} from '../../src/processes.js'
import type {PodList} from '../../src/api/types.js'

export default class PsScale extends BaseCommand {
  static override aliases = ['scale']
  static override description = 'scale process types of an app, to a count (web=3) or by a step (web+1 worker-1)'
  static override examples = ['<%= config.bin %> ps:scale web=3 worker=1 --app example-app', '<%= config.bin %> scale web+1 --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'ps:scale <type>=<n>|<type>+<n>|<type>-<n>... [--app <app>]'

  async run(): Promise<PodList> {
    const {argv, flags} = await this.parse(PsScale)
    const targets = argv as string[]
    const relative = hasRelativeCounts(targets)
    const appId = await this.ctx.appId(flags.app)
    const current = relative ? (await this.ctx.api.apps.get(appId)).structure : {}
    const counts = parseCounts(targets, current)
    await withCoffee(this.out, this.ctx.env, 'Scaling', () => this.ctx.api.ps.scale(appId, counts))
    const pods = await this.ctx.api.ps.list(appId)
    for (const line of processLines(appId, pods.results)) this.out.log(line)
    return pods
  }
}
