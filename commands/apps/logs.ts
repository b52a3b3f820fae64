import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {followLogs} from '../../src/logs/follow.js'
import {logLines, logPrinter, logSource, paintLine} from '../../src/logs/lines.js'

export default class AppsLogs extends BaseCommand {
  static override aliases = ['logs']
  static override description = 'show the latest log lines of an app, or follow them as they arrive'
  static override examples = [
    '<%= config.bin %> apps:logs --app example-app',
    '<%= config.bin %> logs --app example-app --lines 20 --type web',
    '<%= config.bin %> logs --app example-app --follow',
    '<%= config.bin %> logs --app example-app --tail --source app --dyno web.1',
  ]
  static override flags = {
    app: app(),
    dyno: Flags.string({char: 'd', description: 'show only the lines of this process: a type, or a type and its number or pod suffix', helpValue: '<type>[.<n>]'}),
    follow: Flags.boolean({
      aliases: ['tail'],
      char: 'f',
      charAliases: ['t'],
      description: 'keep printing new lines as they arrive, until Ctrl-C (also -t/--tail)',
      exclusive: ['json'],
    }),
    lines: Flags.integer({char: 'n', description: 'how many of the latest lines to show (the controller default: 100)', helpValue: '<num>', min: 1}),
    source: Flags.string({char: 's', description: 'show only the lines written by the app or by deis (its controller)', helpValue: '<app|deis>'}),
    type: Flags.string({description: 'show only the lines of this process type', helpValue: '<proctype>'}),
  }

  async run(): Promise<string[] | undefined> {
    const {flags} = await this.parse(AppsLogs)
    const appId = await this.ctx.appId(flags.app)
    const filter = {type: flags.type, source: logSource(flags.source, appId), dyno: flags.dyno}
    const paint = this.out.opts.color ? (code: number, text: string) => this.out.color(code, text) : undefined
    const api = this.ctx.api.logs
    if (flags.follow) {
      const print = logPrinter({filter, paint})
      const write = (text: string) => this.out.write(print(text))
      await followLogs({open: () => api.stream(appId), fetch: n => api.get(appId, n), lines: flags.lines, write, warn: line => this.out.warn(line)})
      return undefined
    }
    const lines = logLines(await api.get(appId, flags.lines), filter)
    for (const line of lines) this.out.log(paintLine(line, paint))
    return lines
  }
}
