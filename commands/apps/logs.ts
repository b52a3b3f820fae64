import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {followLogs} from '../../src/logs/follow.js'
import {logLines, logPrinter, paintLine} from '../../src/logs/lines.js'

export default class AppsLogs extends BaseCommand {
  static override aliases = ['logs']
  static override description = 'show the latest log lines of an app, or follow them as they arrive'
  static override examples = [
    '<%= config.bin %> apps:logs --app example-app',
    '<%= config.bin %> logs --app example-app --lines 20 --type web',
    '<%= config.bin %> logs --app example-app --follow',
  ]
  static override flags = {
    app: app(),
    follow: Flags.boolean({char: 'f', description: 'keep printing new lines as they arrive, until Ctrl-C', exclusive: ['json']}),
    lines: Flags.integer({char: 'n', description: 'how many of the latest lines to show (the controller default: 100)', helpValue: '<num>', min: 1}),
    'no-color': Flags.boolean({description: 'never colour the lines (they are coloured per process only on a terminal)'}),
    type: Flags.string({description: 'show only the lines of this process type', helpValue: '<proctype>'}),
  }

  async run(): Promise<string[] | undefined> {
    const {flags} = await this.parse(AppsLogs)
    const appId = await this.ctx.appId(flags.app)
    const paint = this.out.opts.color && !flags['no-color'] ? (code: number, text: string) => this.out.color(code, text) : undefined
    const api = this.ctx.api.logs
    if (flags.follow) {
      const print = logPrinter({type: flags.type, paint, app: appId})
      const write = (text: string) => this.out.write(print(text))
      await followLogs({open: () => api.stream(appId), fetch: n => api.get(appId, n), lines: flags.lines, write, warn: line => this.out.warn(line)})
      return undefined
    }
    const lines = logLines(await api.get(appId, flags.lines), flags.type, appId)
    for (const line of lines) this.out.log(paintLine(line, paint))
    return lines
  }
}
