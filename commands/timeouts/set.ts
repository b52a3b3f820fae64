import {BaseCommand} from '../../src/command.js'
import {applyTimeouts} from '../../src/app-config.js'
import {app} from '../../src/flags.js'
import {parseTimeouts} from '../../src/parse/key-values.js'
import type {Config} from '../../src/api/types.js'

export default class TimeoutsSet extends BaseCommand {
  static override description = 'set the seconds a process type gets to stop (SIGTERM to SIGKILL) per type (Hephy)'
  static override examples = ['<%= config.bin %> timeouts:set web=30 worker=300 --app example-app']
  static override flags = {app: app()}
  static override strict = false
  static override usage = 'timeouts:set <type>=<seconds>... [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(TimeoutsSet)
    const timeouts = parseTimeouts(argv as string[])
    const appId = await this.ctx.appId(flags.app)
    return applyTimeouts(this.ctx, appId, timeouts)
  }
}
