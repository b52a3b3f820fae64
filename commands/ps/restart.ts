import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {processLines} from '../../src/output/app-views.js'
import {restartTarget, withCoffee} from '../../src/processes.js'
import type {Pod} from '../../src/api/types.js'

export default class PsRestart extends BaseCommand {
  static override args = {target: Args.string({description: 'a process type (web) or a pod name; every process when absent'})}
  static override description = 'restart the processes of an app, of one type, or one process'
  static override examples = ['<%= config.bin %> ps:restart --app example-app', '<%= config.bin %> ps:restart web --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Pod[]> {
    const {args, flags} = await this.parse(PsRestart)
    const appId = await this.ctx.appId(flags.app)
    const {type, name} = restartTarget(appId, args.target)
    const pods = await withCoffee(this.out, this.ctx.env, 'Restarting', () => this.ctx.api.ps.restart(appId, type, name))
    if (pods.length === 0) this.out.log('Could not find any processes to restart')
    else for (const line of processLines(appId, pods)) this.out.log(line)
    return pods
  }
}
